--[[
quarto-compat.lua: the Quarto features the report uses, for plain pandoc.

Quarto numbers figures and tables, resolves `@fig-x` / `@tbl-x` and draws callouts
with its own filters. The offline renderer (pandoc + Typst, see
src/metareview/render.py) runs this filter instead so that both paths produce the
same text: "Figure 1: caption", "see Figure 1", callout boxes with a title.

Handled, as Quarto does:
  * Figures `![cap](x.svg){#fig-x}` and tables with a caption line
    `: cap {#tbl-x}` are numbered in document order; the caption gets the prefix
    "Figure 1: " / "Table 1: " (Quarto writes a non-breaking space after the word).
  * `@fig-x` becomes a link "Figure 1", `-@fig-x` just "1", `[@fig-x; @tbl-y]` a
    list; prefixes and suffixes inside brackets are kept.
  * `::: {.callout-KIND title="..."}` (KIND: note, tip, warning, important,
    caution), or a callout whose first element is a heading (its text is the
    title); without a title the kind is the title ("Warning"). A screen reader
    is told the kind before the title ("Warning: ..."), in text nobody sees, as
    Quarto's HTML does (see Div).
  * For Typst, image paths are made absolute against --resource-path, so the
    generated .typ can be compiled from any folder (the renderer uses root "/");
    for HTML, images are embedded as data URIs (the renderer does not use
    pandoc's --embed-resources, which re-parses the whole written page).
  * For HTML, each table sits in a div.table-wrapper that the style sheet lets
    scroll sideways, and a captioned table's caption stands above it, outside
    the table, as Quarto's HTML has it.
  * For Typst, each "word_" piece of a table cell or of inline code is boxed,
    so that a long identifier (acupuncture_vs_sham_pain) can break after an
    underscore, and
    list or heading markers at the start of a cell, caption or footnote are
    escaped (see "Typst line starts" below).

Everything is done in one traversal of the document's blocks (to number) and
one of every element (the rest): a traversal hands every element it visits from
pandoc to Lua and back, and one over every element costs half as much as
reading the Markdown.

Anything it cannot honour is reported with pandoc.log.warn, which the renderer
turns into an error with --fail-if-warnings: an unresolved cross-reference, a
citation (the report has no bibliography; text from data must be escaped with
metareview.markdown.escape), a duplicate label, a missing or remote image.

Not for Quarto. Quarto renders the report with its own filters and templates and does
not run this one; listed in a document's `filters:`, it would run before Quarto's
cross-reference and callout filters (user filters do by default), number each caption
a second time ("Table 1: Table 1: ...") and write Typst calls that Quarto's template
lacks or takes otherwise (#mr-code, #keep-with-next, #callout with a kind). So under
Quarto, which gives filters a global `quarto` module, it changes nothing and says so.
]]

if type(quarto) == "table" and quarto.version ~= nil then
  if type(quarto.log) == "table" and quarto.log.warning then
    quarto.log.warning("quarto-compat.lua is for the offline renderer; Quarto numbers, "
      .. "cross-references and draws callouts itself: left out")
  end
  return {}
end

local KINDS = {
  fig = "Figure",
  tbl = "Table",
}

-- Quarto cross-reference types this filter does not number: @sec-x needs
-- number-sections in Quarto and @eq-x numbered equations, which the two paths
-- would not number alike.
local OTHER_QUARTO_REFS = {
  sec = "section",
  eq = "equation",
  lst = "listing",
  thm = "theorem",
  lem = "lemma",
}

local CALLOUT_TITLES = {
  note = "Note",
  tip = "Tip",
  warning = "Warning",
  important = "Important",
  caution = "Caution",
}

local NBSP = "\u{00A0}"

local is_typst = FORMAT:match("typst") ~= nil
local is_html = FORMAT:match("html") ~= nil

-- label -> { kind = "fig" | "tbl", number = n }
local labels = {}

-- Identifiers the document gives its elements (headings, divs, spans, figures,
-- tables): an id the filter makes up must not take one of them.
local used_ids = {}

-- A new identifier from `base`, unique in the page ("base", else "base-2", ...).
local function unique_id(base)
  local id = base
  local n = 1
  while used_ids[id] do
    n = n + 1
    id = base .. "-" .. tostring(n)
  end
  used_ids[id] = true
  return id
end

local function label_prefix(id)
  return id:match("^(%a+)%-")
end

local function warn(message)
  pandoc.log.warn(message)
end

-- Pass 1: number figures and tables in reading order, as Quarto does, and note
-- the identifiers the document gives its blocks. The walk goes from the top down
-- and stops at paragraphs, headings and tables, so it never enters their inline
-- content: a bottom-up walk, even one with only block functions, rebuilt every
-- element of the document on pandoc's side and took 2 s of each of the two
-- conversions of a 700-page report (a sixth of each), this one 0.02 s. Nothing
-- it looks for sits below where it stops: a pipe table, the only table the report
-- writes, holds no blocks in its cells, and the identifiers of spans, which are
-- inline, are noted in the main walk (see Pandoc), before any identifier is made
-- up. Figures and tables inside footnotes are not numbered (Quarto's do not fit
-- in a note either).
local function collect_labels(doc)
  local counters = { fig = 0, tbl = 0 }
  local function register(id, kind)
    if labels[id] then
      warn("duplicate cross-reference label '" .. id .. "'")
      return
    end
    counters[kind] = counters[kind] + 1
    labels[id] = { kind = kind, number = counters[kind] }
  end
  local function use(element)
    if element.identifier ~= "" then
      used_ids[element.identifier] = true
    end
  end
  local function skip()
    return nil, false
  end
  doc:walk({
    traverse = "topdown",
    Figure = function(fig)
      use(fig)
      if label_prefix(fig.identifier) == "fig" then
        register(fig.identifier, "fig")
      end
    end,
    Table = function(tbl)
      use(tbl)
      if label_prefix(tbl.identifier) == "tbl" then
        register(tbl.identifier, "tbl")
      end
      return nil, false
    end,
    Header = function(header)
      use(header)
      return nil, false
    end,
    Div = use,
    Para = skip,
    Plain = skip,
  })
end

-- A span's identifier, noted for unique_id in the main walk's first, inline, part.
local function Span(span)
  if span.identifier ~= "" then
    used_ids[span.identifier] = true
  end
  return nil
end

local function caption_label(id)
  local entry = labels[id]
  return KINDS[entry.kind] .. NBSP .. tostring(entry.number) .. ":"
end

-- Put "Figure 1: " in front of the first block of a long caption; a missing
-- caption becomes just the label, as in Quarto.
local function prefix_caption(caption, id)
  local prefix = { pandoc.Str(caption_label(id)) }
  local long = caption.long
  if #long == 0 then
    caption.long = pandoc.Blocks({ pandoc.Plain(prefix) })
    return caption
  end
  local first = long[1]
  if first.t == "Plain" or first.t == "Para" then
    local content = pandoc.Inlines(prefix)
    content:insert(pandoc.Space())
    content:extend(first.content)
    first.content = content
    long[1] = first
  else
    long:insert(1, pandoc.Plain(prefix))
  end
  caption.long = long
  return caption
end

-- Typst line starts ------------------------------------------------------------

-- pandoc's Typst writer escapes list, heading and term markers at the start of a
-- paragraph, but not at the start of a table cell, a caption or a footnote,
-- which it writes inline as `[1. text]`; Typst reads a content block's start as
-- a line start, so a cell "1. first" became a numbered list and "- x" a bullet.
-- Escape the marker's first character there (Typst accepts "\" before any
-- symbol or digit).
local function is_marker(text)
  return text == "-" or text == "+" or text == "/" or text:match("^=+$") ~= nil
    or text:match("^%d+%.$") ~= nil
end

-- The guarded inlines, or nil when the first one is no marker: most cells need
-- nothing, and handing an unchanged list back to pandoc would still cost a copy.
local function guarded_inlines(inlines)
  local first = inlines[1]
  if first and first.t == "Str" and is_marker(first.text) then
    local second = inlines[2]
    if second == nil or second.t == "Space" or second.t == "SoftBreak" then
      local guarded = pandoc.Inlines({
        pandoc.RawInline("typst", "\\" .. first.text:sub(1, 1)),
      })
      if #first.text > 1 then
        guarded:insert(pandoc.Str(first.text:sub(2)))
      end
      for i = 2, #inlines do
        guarded:insert(inlines[i])
      end
      return guarded
    end
  end
  return nil
end

local function guard_inlines(inlines)
  return guarded_inlines(inlines) or inlines
end

-- The guarded blocks, or nil when nothing needed a guard.
local function guarded_blocks(blocks)
  local first = blocks[1]
  if first and (first.t == "Plain" or first.t == "Para") then
    local content = guarded_inlines(first.content)
    if content then
      first.content = content
      blocks[1] = first
      return blocks
    end
  end
  return nil
end

-- Identifiers such as analysis ids (acupuncture_vs_sham_pain) offer no line
-- break, so in a narrow column they ran over the next cell. Boxing each "word_"
-- piece lets a line break after an underscore and adds no character to the
-- PDF's text (a zero-width space would, and would spoil search and copy). The
-- pieces are those of the Typst regex [^_\s]*_ ; a show rule with that regex on
-- every table cell did the same but took half of the PDF's compile time.
-- Characters Typst's \s matches besides ASCII white space (pandoc splits Str
-- elements at ASCII spaces only).
local UNICODE_SPACES = {
  [0x85] = true, [0xA0] = true, [0x1680] = true, [0x2028] = true, [0x2029] = true,
  [0x202F] = true, [0x205F] = true, [0x3000] = true,
}
for code = 0x2000, 0x200A do
  UNICODE_SPACES[code] = true
end

local BOX_OPEN = "#box["
-- The semicolon ends the Typst call, so text after it ("(", "[" or ".x") cannot
-- be read as more arguments or a field; Typst drops it from the output.
local BOX_CLOSE = "];"

-- The pieces of `text` for Typst's regex [^_\s]*_ : a list of { text, boxed },
-- boxed for each "word_" piece, plain for the text between; nil without "_".
local function underscore_pieces(text)
  if not text:find("_", 1, true) then
    return nil
  end
  local out = {}
  -- Fast path, most identifiers: no white space at all (pandoc splits Str at
  -- ASCII spaces; these lead bytes start every other space Typst's \s knows).
  if not text:find("[\0-\32\194\225\226\227]") then
    local last = 0
    for piece, stop in text:gmatch("([^_]*_)()") do
      table.insert(out, { text = piece, boxed = true })
      last = stop
    end
    if last <= #text then
      table.insert(out, { text = text:sub(last), boxed = false })
    end
    return out
  end
  local plain = {}
  local piece = {}
  local function flush_plain()
    if #plain > 0 then
      table.insert(out, { text = table.concat(plain), boxed = false })
      plain = {}
    end
  end
  for _, code in utf8.codes(text) do
    local char = utf8.char(code)
    if code <= 32 or UNICODE_SPACES[code] then
      -- A space ends a piece without an underscore: it stays plain text.
      for _, c in ipairs(piece) do
        table.insert(plain, c)
      end
      piece = {}
      table.insert(plain, char)
    elseif char == "_" then
      table.insert(piece, char)
      flush_plain()
      table.insert(out, { text = table.concat(piece), boxed = true })
      piece = {}
    else
      table.insert(piece, char)
    end
  end
  for _, c in ipairs(piece) do
    table.insert(plain, c)
  end
  flush_plain()
  return out
end

-- Text as pandoc's Typst writer escapes it inside a line (pandoc 3.9): a
-- backslash before markup characters, before the second of "--" or "//"
-- (shorthand, comment), and "~" for a non-breaking space.
local function typst_text(text)
  text = text:gsub("[\\\"#$'*<>@%[%]_`~]", "\\%0")
  text = text:gsub("%-%-+", function(run)
    return "-" .. string.rep("\\-", #run - 1)
  end)
  text = text:gsub("//+", function(run)
    return "/" .. string.rep("\\/", #run - 1)
  end)
  return (text:gsub("\u{A0}", "~"))
end

-- One raw Typst inline for the whole Str, not a Str and two raw inlines per
-- piece: every element the filter makes crosses from Lua to pandoc, and a
-- long table has hundreds of thousands of them.
local function boxed_underscores(str)
  local pieces = underscore_pieces(str.text)
  if not pieces then
    return nil
  end
  -- The identifier's last word is boxed too: tables hyphenate, and a hyphen inside
  -- an identifier ("usual_care_dis-ability") would be read, and copied, as part of it.
  local tail = pieces[#pieces]
  if #pieces > 1 and not tail.boxed and pieces[#pieces - 1].boxed and not tail.text:find("%s") then
    tail.boxed = true
  end
  local out = {}
  for i, piece in ipairs(pieces) do
    if piece.boxed then
      table.insert(out, BOX_OPEN .. typst_text(piece.text) .. BOX_CLOSE)
    elseif i > 1 then
      -- As pandoc writes a Str after a raw inline: "(" escaped, though the
      -- semicolon already ends the call (same output as the filter gave before).
      table.insert(out, (typst_text(piece.text):gsub("^%(", "\\(")))
    else
      table.insert(out, typst_text(piece.text))
    end
  end
  return pandoc.RawInline("typst", table.concat(out))
end

local function typst_string(s)
  return '"' .. s:gsub("\\", "\\\\"):gsub('"', '\\"') .. '"'
end

-- HTML: a line may break after each underscore of inline code, as the PDF's boxes
-- allow (see Code). Unbroken, an analysis id in a table's first column made that
-- column as wide as the id and pushed the table's last columns out of view, to be
-- scrolled to. A <wbr> adds no character to the text (copy and search are
-- unchanged), but Chromium's accessibility tree read one as a space ("dry_ needling",
-- a cell's name too), so each is hidden from it (aria-hidden). The other ways to
-- break are worse: overflow-wrap: anywhere on code sized columns as if any letter
-- could break and split ids mid-word ("other_active_pai" / "n"); a zero-width space
-- is in the name and the copied text, and one drawn by the style sheet (::after) in
-- a printed page's text. Done where pandoc hands the filter each Code anyway:
-- walking the tables' cells for it cost a sixth of the HTML's conversion.
local function html_escape(text)
  return (text:gsub("[&<>]", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;" }))
end

-- A file's path breaks the same way, after each "/" and after a "." that a letter
-- follows (an extension: "ID.forest.svg"): on a phone the appendix's
-- results/report/figures/ID.forest.svg ran out of its cell, cut as ".sv" / "g". A dot
-- between digits is a number's ("0.05"), which stays whole.
local WBR = '<wbr aria-hidden="true">'

local function html_code(code)
  -- Code with attributes (a language to highlight) is left to pandoc.
  local text = code.text
  if (text:find("[_/]") or text:find("%.%a")) and code.identifier == "" and #code.classes == 0
      and #code.attributes == 0 then
    text = html_escape(text):gsub("_", "_" .. WBR):gsub("/(.)", "/" .. WBR .. "%1")
      :gsub("%.(%a)", "." .. WBR .. "%1")
    return pandoc.RawInline("html", "<code>" .. text .. "</code>")
  end
  return nil
end

-- HTML: a formula set apart (display math) wider than the column scrolls sideways, as
-- a wide table does, and a box that scrolls must take the keyboard's focus, or only a
-- mouse could scroll it (WCAG 2.1.1). A <math> element cannot take it itself (no
-- tabindex in MathML 3, which pandoc writes), so it gets a box that does; focused,
-- a screen reader reads the formula. Inline math stays in its line.
local function Math(math)
  if is_html and math.mathtype == "DisplayMath" then
    return pandoc.Span({ math }, pandoc.Attr("", { "display-math" }, { { "tabindex", "0" } }))
  end
  return nil
end

-- HTML: a code block wider than the column scrolls sideways, and a box that scrolls
-- must take the keyboard's focus (WCAG 2.1.1). pandoc writes the block's attributes on
-- the element the style sheet lets scroll: the <pre>, or the div.sourceCode around a
-- highlighted one.
local function CodeBlock(block)
  if is_html and block.attributes["tabindex"] == nil then
    block.attributes["tabindex"] = "0"
    return block
  end
  return nil
end

-- Inline code gets the same boxes, anywhere in the document: one piece per
-- "word_", each boxed but the last. The template used to do this with a regex
-- show rule on inline raw: in an appendix with an identifier in every row that
-- rule took about 6 s of its 13 s compile, the pieces take about 3 s. Code with
-- a language stays a raw element (Typst highlights it); other inline code,
-- with or without underscores, is set by the template's mr-code, which looks
-- as inline raw does but costs a plain text run.
local function Code(code)
  if is_html then
    return html_code(code)
  end
  if not is_typst then
    return nil
  end
  local lang = code.classes[1]
  local pieces = underscore_pieces(code.text) or { { text = code.text, boxed = false } }
  local out = {}
  for _, piece in ipairs(pieces) do
    local call
    if lang then
      call = "#raw(" .. typst_string(piece.text) .. ", lang: " .. typst_string(lang) .. ")"
    else
      call = "#mr-code(" .. typst_string(piece.text) .. ")"
    end
    if piece.boxed then
      table.insert(out, BOX_OPEN .. call .. BOX_CLOSE)
    else
      table.insert(out, call .. ";")
    end
  end
  return pandoc.RawInline("typst", table.concat(out))
end

-- Boxes the identifiers in every cell and guards the start of each paragraph
-- there; the caption is set aside, as it is no table cell. Each cell's text is
-- looked at as one string first, and only the cells with an underscore or a
-- marker are walked element by element: handing every Str of a long table to
-- Lua and back cost more than reading the Markdown. Returns the table, or nil
-- when nothing changed.
-- A raw cell "column = value" (the appendices' raw cells) keeps its column's name
-- and "=" on one line: a line may break after the sign, not before it. Broken
-- before it, a line began "= -3.7", the value apart from the name it belongs to.
local function glue_equals(inlines)
  local glued = false
  for i = 1, #inlines - 1 do
    local next_one = inlines[i + 1]
    if inlines[i].t == "Space" and next_one.t == "Str" and next_one.text == "=" then
      inlines[i] = pandoc.Str(NBSP)
      glued = true
    end
  end
  return glued and inlines or nil
end

local function typst_cells(tbl)
  local caption = tbl.caption
  local changed = false
  local stringify = pandoc.utils.stringify
  local box_identifiers = { Str = boxed_underscores }
  local keep_equals = { Inlines = glue_equals }
  local function cell_block(block)
    local text = stringify(block)
    local boxed = false
    if text:find(" = ", 1, true) then
      block = block:walk(keep_equals)
      boxed = true
    end
    if text:find("_", 1, true) then
      block = block:walk(box_identifiers)
      boxed = true
    end
    -- A marker is a whole Str, so it is the text's first word.
    local first = text:match("^[^ ]+")
    if first and is_marker(first) then
      local content = guarded_inlines(block.content)
      if content then
        block.content = content
        boxed = true
      end
    end
    if boxed then
      changed = true
      return block
    end
    return nil
  end
  tbl = tbl:walk({ Plain = cell_block, Para = cell_block })
  if not changed then
    return nil
  end
  tbl.caption = caption
  return tbl
end

-- Figures and tables ---------------------------------------------------------

-- A figure's image had the caption as its alt text and as an aria-label, and the
-- figcaption said it again: a screen reader heard it two or three times. As in
-- Quarto's HTML, the figcaption alone gives it; the image's alt is Quarto's
-- fig-alt when one is given, else empty (without an alt, a screen reader may
-- read out the image's source, here a data URI).
local function figure_image_alt(fig)
  return fig.content:walk({
    Image = function(img)
      local alt = img.attributes["fig-alt"] or ""
      img.attributes["fig-alt"] = nil
      img.caption = pandoc.Inlines({})
      img.attributes["alt"] = alt
      return img
    end,
  })
end

-- Typst: Quarto's fig-alt as the image's alt, which the tagged PDF gives to a
-- screen reader (pandoc's Typst writer drops it, and the plot was read as nothing).
-- The image is written as pandoc writes it, with the alt added; a width in a unit
-- Typst does not know (px) leaves it to pandoc, without the alt.
local TYPST_WIDTH = { ["%"] = true, cm = true, mm = true, ["in"] = true, pt = true, em = true }

local function typst_image_alt(fig)
  local changed = false
  local content = fig.content:walk({
    Image = function(img)
      local alt = img.attributes["fig-alt"]
      if not alt then
        return nil
      end
      local args = { typst_string(img.src) }
      local width = img.attributes["width"]
      if width then
        local number, unit = width:match("^([%d.]+)(%a*%%?)$")
        if not number or not TYPST_WIDTH[unit] then
          return nil
        end
        table.insert(args, "width: " .. number .. unit)
      end
      table.insert(args, "alt: " .. typst_string(alt))
      changed = true
      return pandoc.RawInline("typst", "#image(" .. table.concat(args, ", ") .. ")")
    end,
  })
  return changed and content or nil
end

-- HTML: a figure's image sits in a box that scrolls sideways, as a wide table's does
-- (see html_table), and the style sheet keeps a drawing (SVG) at the size it was
-- drawn at: shrunk to the column at 320 CSS px, a forest plot's labels were under
-- 5 px high. A box that may scroll takes the keyboard's focus (WCAG 2.1.1), named by
-- the caption: the caption's first paragraph gets an id in a span, as pandoc writes
-- no attribute on a <figcaption>.
local function html_figure_scroller(fig)
  local attributes
  local long = fig.caption.long
  local first = long[1]
  if first and (first.t == "Plain" or first.t == "Para") then
    local base = fig.identifier ~= "" and fig.identifier or "figure"
    local caption_id = unique_id(base .. "-caption")
    first.content = pandoc.Inlines({ pandoc.Span(first.content, pandoc.Attr(caption_id)) })
    long[1] = first
    fig.caption.long = long
    attributes = { { "role", "region" }, { "aria-labelledby", caption_id }, { "tabindex", "0" } }
  else
    -- Nothing to name it by, as a table without a caption: a group named "Figure".
    attributes = { { "role", "group" }, { "aria-label", "Figure" }, { "tabindex", "0" } }
  end
  fig.content = pandoc.Blocks({
    pandoc.Div(fig.content, pandoc.Attr("", { "figure-scroll" }, attributes)),
  })
  return fig
end

local function Figure(fig)
  local numbered = labels[fig.identifier] and labels[fig.identifier].kind == "fig"
  if numbered then
    fig.caption = prefix_caption(fig.caption, fig.identifier)
  end
  if is_html then
    fig.content = figure_image_alt(fig)
    return html_figure_scroller(fig)
  end
  if is_typst then
    local content = typst_image_alt(fig)
    if content then
      fig.content = content
    end
    local long = guarded_blocks(fig.caption.long)
    if long then
      fig.caption.long = long
      return fig
    end
    if content then
      return fig
    end
  end
  if numbered then
    return fig
  end
end

-- A table wider than the text column (many columns, long identifiers) made the
-- whole page scroll sideways. As in Quarto's HTML, the caption stands above the
-- table, outside it, and the table sits in a box of its own, which the style
-- sheet lets scroll: the caption keeps the column's width (inside a <table> it
-- took the table's), and still names the table for assistive technology. The
-- label moves to the outer element, where a link to it should land.
-- Each header cell names the column below it (scope="col"): a screen reader then reads
-- a cell with its column's header, also where it would not guess the header row
-- (a cell spanning columns, a row of headers further down). pandoc writes a cell's
-- attributes on its <th>.
local function scope_header_cells(tbl)
  for _, row in ipairs(tbl.head.rows) do
    for _, cell in ipairs(row.cells) do
      cell.attributes["scope"] = "col"
    end
  end
end

-- The listings read as reference, row by row: the published meta-analyses and their
-- populations, the statements in words and the two appendices (raw rows, audit trail),
-- the same tables the PDF sets on landscape pages in smaller type (listing-tables in
-- template.typst). In the HTML their box gets the class "listing", which the style
-- sheet lets take the window's width rather than the text column's: at 1280 px the
-- audit trail was 1,335 px wide in an 816-px column, its last columns out of view.
local LISTING_TABLES = {
  ["tbl-external"] = true,
  ["tbl-external-populations"] = true,
  ["tbl-narrative"] = true,
  ["tbl-evidence"] = true,
  ["tbl-audit"] = true,
  ["tbl-audit-counts"] = true,
}

-- The tables of analyses, of studies and of trial characteristics, which the PDF sets
-- on landscape pages in the text's type: their columns were shared out for a landscape
-- page's line (half as long again as the text column's), and in the 816-px column every
-- one of them was a third narrower than it was laid out for ("Brinkhaus" / "et al.
-- (2006)"). In the HTML they take a listing's width.
local LANDSCAPE_TABLES = {
  ["tbl-analyses"] = true,
  ["tbl-studies"] = true,
  ["tbl-trial-characteristics"] = true,
}

-- An element's attributes: a table body's are in its attr (pandoc 2.17's Lua).
local function attributes_of(x)
  return x.attributes or x.attr.attributes
end

-- Each body cell carries the text of its column's header (data-label): on a phone's
-- screen the style sheet sets a table of many columns as a card a row, each cell under
-- its header's words ("Study: Brinkhaus et al. (2006)"), where the table only scrolled
-- sideways, its first columns out of view once the last were in it. Each part says
-- what it is (role="table", "rowgroup", "row", "columnheader", "cell"): the cards set
-- the table, its rows and cells as blocks, and a browser may then drop a table's
-- semantics (WebKit has), reading the cells bare, without their column's header. The
-- roles keep them, and the style sheet draws the header's words unread only where
-- they are.
local function label_body_cells(tbl)
  local heads = tbl.head.rows[#tbl.head.rows]
  if not heads then
    return
  end
  local names = {}
  for i, cell in ipairs(heads.cells) do
    names[i] = pandoc.utils.stringify(cell.contents)
  end
  attributes_of(tbl)["role"] = "table"
  attributes_of(tbl.head)["role"] = "rowgroup"
  for _, row in ipairs(tbl.head.rows) do
    attributes_of(row)["role"] = "row"
    for _, cell in ipairs(row.cells) do
      cell.attributes["role"] = "columnheader"
    end
  end
  for _, body in ipairs(tbl.bodies) do
    attributes_of(body)["role"] = "rowgroup"
    for _, row in ipairs(body.body) do
      attributes_of(row)["role"] = "row"
      for i, cell in ipairs(row.cells) do
        cell.attributes["role"] = "cell"
        if names[i] and names[i] ~= "" then
          cell.attributes["data-label"] = names[i]
        end
      end
    end
  end
end

local function html_table(tbl)
  scope_header_cells(tbl)
  label_body_cells(tbl)
  local id = tbl.identifier
  local caption = tbl.caption.long
  if #caption == 0 or id == "" then
    -- Nothing to name it by: a caption, if any, stays the table's own. Its box may
    -- scroll all the same, and a box the keyboard cannot reach cannot be scrolled
    -- without a mouse (WCAG 2.1.1): it takes the focus too, as a group named
    -- "Table" (a region is a landmark, and several unnamed ones would all read
    -- alike in a landmark list).
    return pandoc.Div({ tbl }, pandoc.Attr("", { "table-wrapper" },
      { { "role", "group" }, { "aria-label", "Table" }, { "tabindex", "0" } }))
  end
  tbl.caption.long = pandoc.Blocks({})
  tbl.caption.short = nil
  tbl.identifier = ""
  local caption_id = id .. "-caption"
  tbl.attributes["aria-labelledby"] = caption_id
  -- A wide table's box scrolls: a keyboard reaches it with Tab (some browsers do not
  -- let a scrolling box take the focus by itself) and then scrolls it with the arrow
  -- keys, and a screen reader names the region it enters by the caption.
  local classes = { "table-wrapper" }
  if LISTING_TABLES[id] or LANDSCAPE_TABLES[id] then
    table.insert(classes, "listing")
  end
  local scroller = pandoc.Attr("", classes,
    { { "role", "region" }, { "aria-labelledby", caption_id }, { "tabindex", "0" } })
  return pandoc.Div({
    pandoc.Div(caption, pandoc.Attr(caption_id, { "table-caption" })),
    pandoc.Div({ tbl }, scroller),
  }, pandoc.Attr(id, { "table-float" }))
end

-- The template closes each table with a 0.9 pt rule under its last row, and
-- draws a 0.4 pt grey line under every row: under the last one, the grey line
-- was painted over the middle of the closing rule (black, grey, black when
-- zoomed in). A stroke function cannot tell the last row, so its cells say so.
local function open_last_row(tbl)
  local rows = tbl.foot.rows
  if #rows == 0 then
    local bodies = tbl.bodies
    for i = #bodies, 1, -1 do
      if #bodies[i].body > 0 then
        rows = bodies[i].body
        break
      end
    end
  end
  if #rows == 0 then
    rows = tbl.head.rows
  end
  local last = rows[#rows]
  if not last then
    return false
  end
  for _, cell in ipairs(last.cells) do
    cell.attributes["typst:stroke"] = "(bottom: none)"
  end
  return true
end

local function Table(tbl)
  local changed = false
  if labels[tbl.identifier] and labels[tbl.identifier].kind == "tbl" then
    tbl.caption = prefix_caption(tbl.caption, tbl.identifier)
    changed = true
  end
  if is_html then
    return html_table(tbl)
  end
  if is_typst then
    local cells = typst_cells(tbl)
    if cells then
      tbl = cells
      changed = true
    end
    if open_last_row(tbl) then
      changed = true
    end
    local long = guarded_blocks(tbl.caption.long)
    if long then
      tbl.caption.long = long
      changed = true
    end
  end
  if changed then
    return tbl
  end
end

local function Note(note)
  if is_typst then
    local content = guarded_blocks(note.content)
    if content then
      note.content = content
      return note
    end
  end
end

-- Quarto lets "@Fig-x" start a sentence; the labels themselves are lower case.
local function lookup(id)
  if labels[id] then
    return id, labels[id]
  end
  local lowered = id:sub(1, 1):lower() .. id:sub(2)
  if labels[lowered] then
    return lowered, labels[lowered]
  end
  return nil, nil
end

local function Cite(cite)
  local out = pandoc.Inlines({})
  for i, citation in ipairs(cite.citations) do
    if i > 1 then
      out:insert(pandoc.Str(","))
      out:insert(pandoc.Space())
    end
    local id, entry = lookup(citation.id)
    if #citation.prefix > 0 then
      out:extend(citation.prefix)
      out:insert(pandoc.Space())
    end
    if entry then
      local text
      if citation.mode == "SuppressAuthor" then
        text = tostring(entry.number)
      else
        text = KINDS[entry.kind] .. NBSP .. tostring(entry.number)
      end
      out:insert(pandoc.Link(pandoc.Inlines({ pandoc.Str(text) }), "#" .. id))
    else
      local prefix = label_prefix(citation.id)
      prefix = prefix and prefix:lower()
      if prefix and KINDS[prefix] then
        warn("unresolved cross-reference @" .. citation.id
          .. ": no figure or table has the label {#" .. citation.id .. "}")
      elseif prefix and OTHER_QUARTO_REFS[prefix] then
        warn("@" .. citation.id .. ": Quarto " .. OTHER_QUARTO_REFS[prefix]
          .. " references are outside what both renderers read alike (figures and "
          .. "tables only); write a link instead, e.g. [the methods](#" .. citation.id .. ")")
      else
        warn("'@" .. citation.id .. "' reads as a citation, but the report has no "
          .. "bibliography; escape text from data with metareview.markdown.escape")
      end
      -- Quarto shows an unresolved reference as "?@label".
      out:insert(pandoc.Str("?@" .. citation.id))
    end
    if #citation.suffix > 0 then
      out:extend(citation.suffix)
    end
  end
  return out
end

-- Callouts ---------------------------------------------------------------------

local function callout_kind(div)
  for _, class in ipairs(div.classes) do
    local kind = class:match("^callout%-(%a+)$")
    if kind and CALLOUT_TITLES[kind] then
      return kind
    end
  end
  return nil
end

local function parse_inlines(text)
  local doc = pandoc.read(text, "markdown-raw_html-raw_tex")
  local first = doc.blocks[1]
  if first and (first.t == "Para" or first.t == "Plain") then
    return first.content
  end
  return pandoc.Inlines({ pandoc.Str(text) })
end

local function callout_title(div, kind)
  local attr_title = div.attributes["title"]
  if attr_title and attr_title ~= "" then
    return parse_inlines(attr_title), div.content
  end
  local first = div.content[1]
  if first and first.t == "Header" then
    local rest = pandoc.Blocks({})
    for i = 2, #div.content do
      rest:insert(div.content[i])
    end
    return first.content, rest
  end
  return pandoc.Inlines({ pandoc.Str(CALLOUT_TITLES[kind]) }), div.content
end

-- The kind a screen reader is told before the title ("Warning"), or nil when the title
-- starts with it already ("Warning", "Warning: mixed scales"): sighted readers tell a
-- warning from a note by its colour and icon, which a screen reader does not read out
-- (WCAG 1.3.1 and 1.4.1), and "Warning: Warning" would say it twice.
local function unseen_kind(title, kind)
  local name = CALLOUT_TITLES[kind]
  local text = pandoc.utils.stringify(title):lower()
  local after = text:sub(#name + 1, #name + 1)
  if text:sub(1, #name) == name:lower() and not after:match("%w") then
    return nil
  end
  return name
end

-- A lead-in the report keeps with what follows it (metareview.markdown.keep_with_next):
-- in Typst a sticky block, which holds its paragraphs on the page where the next
-- block starts, as a heading is held; in HTML the plain div Quarto writes.
local function keep_with_next(div)
  if not is_typst then
    return nil
  end
  local blocks = pandoc.Blocks({ pandoc.RawBlock("typst", "#keep-with-next[") })
  blocks:extend(div.content)
  blocks:insert(pandoc.RawBlock("typst", "]"))
  return blocks
end

local function Div(div)
  local kind = callout_kind(div)
  if not kind then
    if div.classes:includes("keep-with-next") then
      return keep_with_next(div)
    end
    return nil
  end
  local title, body = callout_title(div, kind)
  -- A title given as an attribute is parsed here, after the Cite pass.
  title = pandoc.Inlines(title):walk({ Cite = Cite, Code = Code })
  local kind_name = unseen_kind(title, kind)
  if is_typst then
    title = guard_inlines(title)
    -- A Typst function from the template (reports/render/template.typst) draws
    -- the box; the body stays ordinary pandoc output between the brackets. The
    -- title is written by the document's own writer, on the call's line (the
    -- renderer asks for --wrap none): pandoc.write for each title cost a
    -- twentieth of the whole conversion.
    -- The template sets the kind's name where only the tagged text has it.
    local name = kind_name and (", kind-name: " .. typst_string(kind_name)) or ""
    local call = pandoc.Inlines({
      pandoc.RawInline("typst", "#callout(kind: " .. typst_string(kind) .. name .. ", title: ["),
    })
    -- Typst reads the start of the brackets as a line start: escape what pandoc
    -- escapes at one (a leading "+", "-", "/" or "=", whatever follows it; "-1"
    -- would be set with a minus sign; and a number with a full stop, "2.", which
    -- would start a numbered list), as it did when the title was written alone.
    -- The number may also begin a longer Str ("2. Methods" from a title attribute,
    -- which parse_inlines keeps whole when it reads as a list).
    local first = title[1]
    if first and first.t == "Str" and (first.text:match("^[-+/=]")
        or first.text:match("^%d+%.$") or first.text:match("^%d+%.%s")) then
      call:insert(pandoc.RawInline("typst", "\\"))
    end
    call:extend(title)
    call:insert(pandoc.RawInline("typst", "])["))
    local blocks = pandoc.Blocks({ pandoc.Plain(call) })
    blocks:extend(body)
    blocks:insert(pandoc.RawBlock("typst", "]"))
    return blocks
  end
  if is_html then
    -- A callout is an aside to its section, not a part of it: the text after it goes
    -- on with the section. A heading for its title would take that text under it in
    -- a screen reader's outline, and list a "Not pooled" for each analysis among the
    -- sections. So, as WAI-ARIA's note role is meant for ("a section whose content
    -- is parenthetic or ancillary to the main content"), the box is a note named by
    -- its title, which a screen reader reads as it enters the box (WCAG 1.3.1: the
    -- title's tie to its box is in the markup, not only in the styling).
    -- The kind goes before the title as text the style sheet hides from sight, as
    -- Quarto's HTML has it: the note's name, and the title as read, are "Warning: Not
    -- pooled", where sighted readers see the colour and the icon.
    local base = div.identifier ~= "" and div.identifier or "callout"
    local title_id = unique_id(base .. "-title")
    local read = pandoc.Inlines({})
    if kind_name then
      read:insert(pandoc.Span({ pandoc.Str(kind_name .. ":"), pandoc.Space() },
        pandoc.Attr("", { "visually-hidden" })))
    end
    read:extend(title)
    local header = pandoc.Div(
      { pandoc.Plain(read) },
      pandoc.Attr(title_id, { "callout-header" })
    )
    local content = pandoc.Div(body, pandoc.Attr("", { "callout-body" }))
    return pandoc.Div(
      { header, content },
      pandoc.Attr(div.identifier, { "callout", "callout-" .. kind },
        { { "role", "note" }, { "aria-labelledby", title_id } })
    )
  end
  return nil
end

-- Images -----------------------------------------------------------------------

local function file_exists(path)
  local handle = io.open(path, "rb")
  if handle then
    handle:close()
    return true
  end
  return false
end

local function percent_decode(src)
  return (src:gsub("%%(%x%x)", function(hex)
    return string.char(tonumber(hex, 16))
  end))
end

local function resolve_image(src)
  -- pandoc percent-encodes link targets ("a b.svg" is "a%20b.svg"); Typst
  -- needs the file's real name.
  src = percent_decode(src)
  if src:match("^%a[%w+.-]*:") then
    return nil, "remote or data images are not supported (no network while rendering): "
      .. src
  end
  if pandoc.path.is_absolute(src) then
    if file_exists(src) then
      return src, nil
    end
    return nil, "image not found: " .. src
  end
  for _, dir in ipairs(PANDOC_STATE.resource_path) do
    local candidate = pandoc.path.normalize(pandoc.path.join({ dir, src }))
    if file_exists(candidate) then
      if not pandoc.path.is_absolute(candidate) then
        candidate = pandoc.path.join({ pandoc.system.get_working_directory(), candidate })
      end
      return candidate, nil
    end
  end
  return nil, "image not found: " .. src .. " (looked in "
    .. table.concat(PANDOC_STATE.resource_path, ", ") .. ")"
end

-- Image types the HTML can embed, by file extension (as pandoc's embed-resources
-- found them).
local IMAGE_TYPES = {
  svg = "image/svg+xml",
  png = "image/png",
  jpg = "image/jpeg",
  jpeg = "image/jpeg",
  gif = "image/gif",
  webp = "image/webp",
}

local function Image(img)
  -- Typst only sees a path: check it here and give Typst an absolute one. The
  -- HTML gets the file itself as a data URI, as pandoc's --embed-resources
  -- wrote it; that option re-read the whole written page to find its resources.
  -- (A figure's image gets its alt text in Figure.)
  if not (is_typst or is_html) then
    return nil
  end
  local path, problem = resolve_image(img.src)
  if problem then
    warn(problem)
    return nil
  end
  if is_typst then
    img.src = path
    return img
  end
  local extension = (path:match("%.([%w]+)$") or ""):lower()
  local mime = IMAGE_TYPES[extension]
  if not mime then
    warn("image type not supported in the HTML (svg, png, jpeg, gif, webp): " .. path)
    return nil
  end
  local handle = io.open(path, "rb")
  local data = handle:read("a")
  handle:close()
  img.src = pandoc.mediabag.make_data_uri(mime, data)
  return img
end

-- Metadata ---------------------------------------------------------------------

local function author_names(author)
  local names = {}
  local entries = author
  if pandoc.utils.type(author) ~= "List" then
    entries = { author }
  end
  for _, entry in ipairs(entries) do
    if pandoc.utils.type(entry) == "table" and entry.name then
      entry = entry.name
    end
    table.insert(names, pandoc.utils.stringify(entry))
  end
  return names
end

local function Meta(meta)
  -- PDF metadata wants authors as strings, not markup: hand the template a
  -- ready Typst array literal.
  -- An empty list (a report whose config names no author) sets none: "(,)" is no
  -- Typst array.
  if is_typst and meta.author ~= nil then
    local quoted = {}
    for _, name in ipairs(author_names(meta.author)) do
      table.insert(quoted, typst_string(name))
    end
    if #quoted > 0 then
      meta["typst-document-authors"] = pandoc.MetaInlines({
        pandoc.RawInline("typst", "(" .. table.concat(quoted, ", ") .. ",)"),
      })
    end
  end
  -- The HTML writer warns about an empty <title>, which --fail-if-warnings makes
  -- fatal; Quarto falls back on the file name, so do the same.
  if meta.title == nil and meta.pagetitle == nil then
    local input = PANDOC_STATE.input_files[1]
    if input and input ~= "-" then
      meta.pagetitle = pandoc.path.split_extension(pandoc.path.filename(input))
    else
      meta.pagetitle = "Report"
    end
  end
  return meta
end

function Pandoc(doc)
  collect_labels(doc)
  doc.meta = Meta(doc.meta)
  -- One traversal: pandoc applies the inline functions (Image, Cite, Note) to the
  -- whole document before the block functions (Figure, Table, Div), so every
  -- cross-reference is resolved before a caption is prefixed or a callout is
  -- built from its title and body, and every span's identifier is noted before
  -- one is made up for a callout's title or a figure's caption. This traversal
  -- costs about as much as reading the report again would: the elements cross
  -- from pandoc to Lua and back.
  return doc:walk({
    Image = Image,
    Cite = Cite,
    Code = Code,
    Math = Math,
    Span = Span,
    CodeBlock = CodeBlock,
    Note = Note,
    Figure = Figure,
    Table = Table,
    Div = Div,
  })
end
