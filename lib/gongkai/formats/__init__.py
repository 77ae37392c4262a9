"""The report readers, one module per file format, and what they share.

    plain    .txt/.md: decoded by content, provenance header of archived copies set apart
    web      HTML: the article body (navigation, scripts, styles dropped) and its data <table>s
    word     .docx: paragraphs and tables in document order, merged cells expanded
    pdf      PDF with a text layer: wrapped lines joined, page numbers dropped, ruled tables kept
    pdfguard pdfminer's stream inflation held to the caps
    archive  ZIP containers (.docx) checked from their directory before anything is inflated
    layout   the text builder: prose and tables laid out as one normalized text with cell spans
    text     decoding, normalization, traditional -> simplified
    limits   every cap on what reading one file may cost, and the per-file guard (time budget)

Each reader is `read_<format>_file(path, data: bytes) -> model.Document` and raises errors.ReadError
(errors.LimitError past a cap). gongkai.reading picks the reader by extension; nothing here imports
gongkai.reading. The heavy libraries (lxml, python-docx, pdfplumber) are imported on first use, since
most reports are plain text.
"""
