"""briefs.yaml read as hostile input, before any validation: the file becomes a tree of YamlValue (each value
with its 1-based line) or a ConfigError naming the file and, where there is one, the line.

Contract of read_config_file(path, scalar_keys, list_keys): the file must be a regular file of at most
MAX_CONFIG_BYTES, UTF-8 (another encoding names the line and byte; a BOM is dropped); it is composed with a
PyYAML safe loader that refuses anchors and aliases (a billion-laughs file or a recursive alias stops at its
first anchor) and nesting deeper than MAX_DEPTH; a control character, a syntax error, an empty file, a key
that is not a name, a duplicate key, a list or mapping under a key of scalar_keys (or inside a list under a
key of list_keys), and a value YAML cannot build (a 13th month, a 5,000-digit number, a python/object tag)
are each a ConfigError naming its line. What the keys and values mean is gongkai.build.config's concern.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from gongkai.errors import ConfigError
from gongkai.wording import shorten

MAX_CONFIG_BYTES = 1_000_000   # a briefs.yaml is a few kilobytes: more is a mistake (or an attack)
MAX_DEPTH = 8                  # nesting of YAML lists and mappings (the config itself needs 3)
VALUE_WIDTH = 60               # characters of an unreadable value quoted in a message


@dataclass
class YamlValue:
    """A YAML value with its 1-based line; mappings hold YamlValue values and the line of each key."""
    value: object
    line: int
    key_lines: dict[str, int] | None = None


class _ConfigLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing anchors and aliases (their expansion is exponential: billion laughs;
    a recursive alias never ends) and nesting deeper than MAX_DEPTH (the composer recurses)."""

    def __init__(self, text: str, path: Path):
        super().__init__(text)
        self.path, self.depth = path, 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        line = event.start_mark.line + 1
        if event.anchor is not None:
            sign = "*" if isinstance(event, yaml.AliasEvent) else "&"
            raise ConfigError(f"YAML anchors and aliases are not allowed ({sign}{event.anchor}): write each value "
                              "out", line, self.path)
        if self.depth >= MAX_DEPTH:
            raise ConfigError(f"nested more than {MAX_DEPTH} levels deep", line, self.path)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _read_text(path: Path) -> str:
    """The config's text: ConfigError when it cannot be read, is not a file, is too large or is not UTF-8."""
    try:
        if path.exists() and not path.is_file():
            raise ConfigError("the config is not a regular file", None, path)
        with path.open("rb") as f:
            data = f.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"cannot read the config: {exc.strerror}", None, path) from exc
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError(f"the config is larger than {MAX_CONFIG_BYTES:,} bytes (a briefs.yaml takes a few "
                          "kilobytes)", None, path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        raise ConfigError(f"the file is not UTF-8 (byte 0x{data[exc.start]:02x} at byte {exc.start}, column "
                          f"{exc.start - line_start + 1} of the line, cannot be decoded): save it as UTF-8",
                          data.count(b"\n", 0, exc.start) + 1, path) from None


def _compose(text: str, path: Path) -> yaml.Node | None:
    """The YAML node tree of text (_ConfigLoader); ConfigError naming the line of a syntax error."""
    loader = None
    try:
        loader = _ConfigLoader(text, path)      # the reader checks the characters here
        return loader.get_single_node()
    except yaml.reader.ReaderError as exc:
        code = exc.character if isinstance(exc.character, int) else ord(exc.character[:1] or b"?")
        raise ConfigError(f"not valid YAML: the control character U+{code:04X} is not allowed",
                          text.count("\n", 0, exc.position) + 1, path) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError(f"not valid YAML: {getattr(exc, 'problem', exc)}",
                          mark.line + 1 if mark else None, path) from None
    finally:
        if loader is not None:
            loader.dispose()



def _check_shape(key: str, node: yaml.Node, path: Path, scalar_keys: frozenset[str] | set[str],
                 list_keys: frozenset[str] | set[str]) -> None:
    """A list or mapping where one value belongs (district: [x]) -> ConfigError naming the line."""
    shape = {yaml.SequenceNode: "a list", yaml.MappingNode: "a mapping"}
    if key in scalar_keys and not isinstance(node, yaml.ScalarNode):
        raise ConfigError(f"{key}: give one value, not {shape[type(node)]}", node.start_mark.line + 1, path)
    if key in list_keys:
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        for item in items:
            if not isinstance(item, yaml.ScalarNode):
                raise ConfigError(f"{key}: give one value or a list of values, not {shape[type(item)]}",
                                  item.start_mark.line + 1, path)


def _plain(node: yaml.Node, path: Path, scalar_keys: frozenset[str] | set[str],
           list_keys: frozenset[str] | set[str]) -> YamlValue:
    """Turn a composed node into nested YamlValue values (dicts/lists of YamlValue), keeping 1-based lines."""
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[str, YamlValue] = {}
        key_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            key = _plain(key_node, path, scalar_keys, list_keys).value if isinstance(key_node, yaml.ScalarNode) else key_node.id
            if not isinstance(key, str) or not isinstance(key_node, yaml.ScalarNode):
                raise ConfigError(f"keys must be names, not {shorten(repr(key), VALUE_WIDTH)}", key_line, path)
            if key in out:
                raise ConfigError(f"duplicate key {key!r}", key_line, path)
            _check_shape(key, value_node, path, scalar_keys, list_keys)
            out[key] = _plain(value_node, path, scalar_keys, list_keys)
            key_lines[key] = key_line
        return YamlValue(out, line, key_lines)
    if isinstance(node, yaml.SequenceNode):
        return YamlValue([_plain(item, path, scalar_keys, list_keys) for item in node.value], line)
    try:
        return YamlValue(yaml.constructor.SafeConstructor().construct_object(node), line)
    except (yaml.YAMLError, ValueError, OverflowError) as exc:     # 2017-13-45, 5,000 digits, !!python/...
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"cannot read the value {shorten(repr(node.value), VALUE_WIDTH)} ({node.tag}): "
                          f"{shorten(problem, VALUE_WIDTH * 2)}", line, path) from None


def read_config_file(path: Path, scalar_keys: frozenset[str] | set[str] = frozenset(),
                     list_keys: frozenset[str] | set[str] = frozenset()) -> YamlValue:
    """The YAML tree of the config at path, each value with its line; a key of scalar_keys holds one value, a key
    of list_keys one value or a list of single values. ConfigError naming the line for anything else (above)."""
    root_node = _compose(_read_text(path), path)
    if root_node is None:
        raise ConfigError("the config is empty", None, path)
    return _plain(root_node, path, scalar_keys, list_keys)


__all__ = ["MAX_CONFIG_BYTES", "MAX_DEPTH", "VALUE_WIDTH", "YamlValue", "read_config_file"]
