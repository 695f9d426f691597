-- One headless Neovim session for tests/editors/test_nvim.py:
--   nvim --headless --clean -l nvim_session.lua PLAN.json
-- PLAN: { plugin = editors/nvim, mode = "setup" | "enable", files = { paths },
--         fix = { file, code, title } (optional), out = result.json,
--         attach_wait, publish_wait (ms, optional), expect_attached (files, optional),
--         restart (run :SchemasenseRestart),
--         generate (run :SchemasenseGenerateMigration, then :wall),
--         layers = { { args, select } } (each: :SchemasenseGenerateLayer ARGS from the first
--                  file, vim.ui.select answering `select` when asked, then :wall;
--                  `result.layers`: the server's answer, the report buffer's lines, the
--                  choices asked, the notes),
--         actions = { { file, at, title, kind, only (kinds) (both optional) } } (optional),
--         probes = { { op, file, at, shift, text } } (optional) }
-- For each file: whether schemasense attached, its root, the diagnostics after the first
-- publish. With `fix`: the code actions offered for the diagnostic with that code, the chosen
-- one applied, the buffer written, and the diagnostics published after that.
-- With `actions`: for each, the cursor on the first line of `file` containing `at` (on its first
-- non-blank), vim.lsp.buf.code_action() with a filter that takes the action whose title starts
-- with `title` (and is of `kind`) and applies it (what a user does), then :wall; the titles offered are recorded.
-- With `probes`: what a user asks Neovim for, each answer recorded by value (`result.probes`):
-- op "symbols" (vim.lsp.buf.document_symbol), "codelens" (vim.lsp.codelens.refresh/get),
-- "definition" (vim.lsp.buf.definition: where the cursor lands), "references"
-- (vim.lsp.buf.references), "complete" (a line `text` typed below the line with `at`, or
-- above it with `above`, the cursor at its `|` or end, then vim.lsp.omnifunc as <C-x><C-o> calls it: the words offered; the line
-- is taken out again). The cursor goes on `at` (+ `shift` characters) in `file`.
-- Every wait is bounded; the result is written even when something timed out.

local plan = vim.json.decode(table.concat(vim.fn.readfile(arg[1]), "\n"))
local WAIT = 20000
local result = { notes = {}, files = {}, errors = {} }

local function finish()
  vim.fn.writefile({ vim.json.encode(result) }, plan.out)
  vim.cmd("qa!")
end

local ok, err = xpcall(function()
  vim.opt.rtp:prepend(plan.plugin)
  vim.notify = function(msg, level)
    table.insert(result.notes, { message = msg, level = level })
  end

  local published = {} -- uri -> number of publishDiagnostics received
  local handler = vim.lsp.handlers["textDocument/publishDiagnostics"]
  vim.lsp.handlers["textDocument/publishDiagnostics"] = function(e, res, ctx, config)
    if res then
      published[res.uri] = (published[res.uri] or 0) + 1
    end
    return handler(e, res, ctx, config)
  end

  if plan.mode == "setup" then
    require("schemasense").setup()
  else
    vim.lsp.enable("schemasense") -- the lsp/schemasense.lua config file on 'runtimepath'
  end

  local function diagnostics(buf)
    local out = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      table.insert(out, {
        line = d.lnum + 1,
        column = d.col + 1,
        message = d.message,
        code = d.code,
        severity = d.severity,
        source = d.source,
      })
    end
    table.sort(out, function(a, b)
      return a.line < b.line or (a.line == b.line and a.column < b.column)
    end)
    return out
  end

  local function client_of(buf)
    return vim.lsp.get_clients({ bufnr = buf, name = "schemasense" })[1]
  end

  -- Whether schemasense attaches to `buf` (polled, bounded by `wait`); its root, command,
  -- first diagnostics.
  local function describe(entry, buf, wait)
    local uri = vim.uri_from_bufnr(buf)
    entry.attached = vim.wait(wait, function()
      return client_of(buf) ~= nil
    end, 20)
    if entry.attached then
      local client = client_of(buf)
      entry.root = client.config.root_dir
      entry.cmd = type(client.config.cmd) == "table" and client.config.cmd or "function"
      entry.published = vim.wait(plan.publish_wait or WAIT, function()
        return (published[uri] or 0) > 0
      end, 20)
      entry.diagnostics = diagnostics(buf)
    end
  end

  -- With `expect_attached` (files), each of those is waited for (the server may be slow to
  -- start on a loaded machine), the others are looked at again once that is done and
  -- `attach_wait` (default 1 s) has passed, so a late attach still shows.
  local expect
  if plan.expect_attached then
    expect = {}
    for _, file in ipairs(plan.expect_attached) do
      expect[file] = true
    end
  end
  local opened = {}
  for _, file in ipairs(plan.files) do
    vim.cmd.edit(vim.fn.fnameescape(file))
    local buf = vim.api.nvim_get_current_buf()
    local entry = { file = file, filetype = vim.bo[buf].filetype }
    local wait
    if expect then
      wait = expect[file] and WAIT or 0
    else
      -- A buffer schemasense does not want gets no client: `attach_wait` gives it a moment
      -- to prove it; without one the file is expected to attach, however long that takes.
      wait = plan.attach_wait or WAIT
    end
    describe(entry, buf, wait)
    table.insert(result.files, entry)
    opened[entry] = buf
  end
  if expect then
    vim.wait(plan.attach_wait or 1000)
    for entry, buf in pairs(opened) do
      if not entry.attached then
        describe(entry, buf, 0)
      end
    end
  end

  local fix = plan.fix
  if fix then
    -- The buffer opened above (`:edit` again would reload it and re-attach the client).
    local buf = vim.fn.bufnr(fix.file)
    vim.api.nvim_set_current_buf(buf)
    local uri = vim.uri_from_bufnr(buf)
    local client = assert(client_of(buf), "no schemasense client for " .. fix.file)
    local target
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.code == fix.code then
        target = d
      end
    end
    assert(target, "no diagnostic " .. fix.code)
    local lsp_diagnostic = target.user_data and target.user_data.lsp
    local response = client:request_sync("textDocument/codeAction", {
      textDocument = { uri = uri },
      range = lsp_diagnostic.range,
      context = { diagnostics = { lsp_diagnostic }, triggerKind = 1 },
    }, WAIT, buf)
    assert(response and not response.err, vim.inspect(response))
    result.actions = {}
    local chosen
    for _, action in ipairs(response.result or {}) do
      table.insert(result.actions, action.title)
      if action.title == fix.title then
        chosen = action
      end
    end
    if chosen then
      local before = published[uri] or 0
      vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)
      vim.cmd.write()
      result.republished = vim.wait(WAIT, function()
        return (published[uri] or 0) > before
      end, 20)
      -- The server may publish for the change and again for the save: let it settle.
      vim.wait(500)
      result.after = diagnostics(buf)
    end
  end

  local function cursor_on(file, at, shift)
    local buf = vim.fn.bufnr(file)
    if buf < 0 then
      vim.cmd.edit(vim.fn.fnameescape(file))
      buf = vim.api.nvim_get_current_buf()
    end
    vim.api.nvim_set_current_buf(buf)
    assert(vim.wait(WAIT, function()
      return client_of(buf) ~= nil
    end, 20), "no schemasense client for " .. file)
    for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
      local col = line:find(at, 1, true)
      if col then
        vim.api.nvim_win_set_cursor(0, { i, col - 1 + (shift or 0) })
        return buf, i
      end
    end
    error("no line with " .. at .. " in " .. file)
  end

  local function items_of(list)
    local out = {}
    for _, item in ipairs(list.items or {}) do
      table.insert(out, {
        file = item.filename,
        line = item.lnum,
        text = item.text,
      })
    end
    return out
  end

  local probes = {}
  probes.symbols = function(step, record)
    cursor_on(step.file, step.at or "", 0)
    vim.lsp.buf.document_symbol({
      on_list = function(list)
        record.items = items_of(list)
      end,
    })
    vim.wait(WAIT, function()
      return record.items ~= nil
    end, 20)
  end
  probes.codelens = function(step, record)
    local buf = cursor_on(step.file, step.at or "", 0)
    vim.wait(WAIT, function()
      vim.lsp.codelens.refresh({ bufnr = buf })
      local lenses = vim.lsp.codelens.get(buf)
      if #lenses == 0 then
        vim.wait(200)
        return false
      end
      record.lenses = {}
      for _, lens in ipairs(lenses) do
        table.insert(record.lenses, {
          line = lens.range.start.line + 1,
          title = lens.command and lens.command.title or vim.NIL,
        })
      end
      return true
    end, 50)
  end
  probes.hover = function(step, record)
    -- what vim.lsp.buf.hover() asks for, read as text instead of shown in a float
    local buf = cursor_on(step.file, step.at, step.shift)
    local client = client_of(buf)
    local params = vim.lsp.util.make_position_params(0, client.offset_encoding)
    record.text = ""
    vim.wait(WAIT, function()
      local answer = client:request_sync("textDocument/hover", params, WAIT, buf)
      local contents = answer and answer.result and answer.result.contents
      if contents then
        record.text = type(contents) == "table" and (contents.value or vim.inspect(contents))
          or contents
      end
      return step.expect == nil or record.text:find(step.expect, 1, true) ~= nil
    end, 200)
  end
  probes.definition = function(step, record)
    local buf = cursor_on(step.file, step.at, step.shift)
    local before = vim.api.nvim_win_get_cursor(0)
    vim.lsp.buf.definition()
    record.moved = vim.wait(WAIT, function()
      local now = vim.api.nvim_win_get_cursor(0)
      return vim.api.nvim_get_current_buf() ~= buf or now[1] ~= before[1] or now[2] ~= before[2]
    end, 20)
    local row, col = unpack(vim.api.nvim_win_get_cursor(0))
    record.file = vim.api.nvim_buf_get_name(0)
    record.line = row
    record.text = vim.api.nvim_get_current_line():sub(col + 1)
  end
  probes.references = function(step, record)
    cursor_on(step.file, step.at, step.shift)
    vim.lsp.buf.references({ includeDeclaration = true }, {
      on_list = function(list)
        record.items = items_of(list)
      end,
    })
    vim.wait(WAIT, function()
      return record.items ~= nil
    end, 20)
  end
  probes.complete = function(step, record)
    local buf, row = cursor_on(step.file, step.at, 0)
    -- typed above the line with `at` when `above`; the cursor at `|` (else at the end)
    row = step.above and row - 1 or row
    local cursor = step.text:find("|", 1, true)
    local typed = step.text:gsub("|", "", 1)
    vim.api.nvim_buf_set_lines(buf, row, row, false, { typed })
    vim.api.nvim_win_set_cursor(0, { row + 1, cursor and cursor - 1 or #typed })
    -- vim.lsp.omnifunc as <C-x><C-o> calls it: findstart, then the request, whose answer
    -- Neovim turns into complete-items and hands to complete(). A headless session cannot
    -- wait in Insert mode (it reads EOF and quits), so Insert mode is reported to the
    -- callback and complete() is caught: the words are what the menu would show.
    local get_mode, complete = vim.api.nvim_get_mode, vim.fn.complete
    vim.api.nvim_get_mode = function()
      return { mode = "i", blocking = false }
    end
    vim.fn.complete = function(_, matches)
      record.words = {}
      for _, item in ipairs(matches) do
        table.insert(record.words, type(item) == "table" and item.word or item)
      end
    end
    local ok_call, err_call = pcall(function()
      local start = vim.lsp.omnifunc(1, "")
      record.findstart = start
      vim.wait(WAIT, function()
        return record.words ~= nil
      end, 20)
    end)
    vim.api.nvim_get_mode, vim.fn.complete = get_mode, complete
    assert(ok_call, err_call)
    vim.api.nvim_buf_set_lines(buf, row, row + 1, false, {})
  end

  if plan.probes then
    result.probes = {}
    for _, step in ipairs(plan.probes) do
      local record = { op = step.op, at = step.at }
      probes[step.op](step, record)
      table.insert(result.probes, record)
    end
  end

  if plan.actions then
    result.applied = {}
    for _, step in ipairs(plan.actions) do
      local buf = vim.fn.bufnr(step.file)
      vim.api.nvim_set_current_buf(buf)
      assert(client_of(buf), "no schemasense client for " .. step.file)
      local row
      for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
        if line:find(step.at, 1, true) then
          row = i
          break
        end
      end
      assert(row, "no line with " .. step.at .. " in " .. step.file)
      vim.api.nvim_win_set_cursor(0, { row, 0 })
      vim.cmd("normal! ^")
      local record = { file = step.file, title = step.title, offered = {} }
      local buffers = #vim.api.nvim_list_bufs()
      local notes = #result.notes
      local function ticks()
        local sum = 0
        for _, b in ipairs(vim.api.nvim_list_bufs()) do
          sum = sum + vim.api.nvim_buf_get_changedtick(b)
        end
        return sum
      end
      local changed = ticks()
      vim.lsp.buf.code_action({
        apply = true,
        context = step.only and { only = step.only } or nil,
        filter = function(action)
          table.insert(record.offered, action.title)
          local chosen = action.title:sub(1, #step.title) == step.title
            and (step.kind == nil or action.kind == step.kind)
          record.chosen = record.chosen or (chosen and action.title) or nil
          return chosen
        end,
      })
      -- Applied: the edit opened the files it made (or edited) in new buffers, or, with
      -- `edits` (an edit of open files only), changed a buffer.
      local function applied()
        return #vim.api.nvim_list_bufs() > buffers or (step.edits and ticks() > changed)
      end
      vim.wait(WAIT, function()
        return applied() or #result.notes > notes
      end, 20)
      record.applied = applied()
      vim.cmd("silent! wall")
      table.insert(result.applied, record)
    end
  end

  if plan.generate then
    vim.cmd("SchemasenseGenerateMigration")
    result.generated = vim.wait(WAIT, function()
      for _, note in ipairs(result.notes) do
        if note.message:find("written", 1, true) or note.message:find("not available", 1, true) then
          return true
        end
      end
      return false
    end, 20)
    vim.cmd("silent! wall")
  end

  result.layers = {}
  for _, step in ipairs(plan.layers or {}) do
    local notes = #result.notes
    local mod = require("schemasense")
    mod.last_layer = nil
    local asked = {}
    vim.ui.select = function(items, opts, on_choice)
      table.insert(asked, { prompt = opts.prompt, items = items })
      on_choice(step.select)
    end
    vim.cmd("SchemasenseGenerateLayer " .. step.args)
    local done = vim.wait(60000, function()
      return mod.last_layer ~= nil
    end, 20)
    local report = {}
    for _, buf in ipairs(vim.api.nvim_list_bufs()) do
      if vim.api.nvim_buf_get_name(buf):find("^schemasense://") then
        report = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
      end
    end
    vim.cmd("silent! wall")
    table.insert(result.layers, {
      done = done,
      answer = mod.last_layer,
      report = report,
      asked = asked,
      notes = vim.list_slice(result.notes, notes + 1),
    })
  end

  if plan.restart then
    local buf = vim.api.nvim_get_current_buf()
    local uri = vim.uri_from_bufnr(buf)
    local old = client_of(buf)
    local before = published[uri] or 0
    vim.cmd("SchemasenseRestart")
    result.restarted = vim.wait(WAIT, function()
      local new = client_of(buf)
      return new ~= nil and new.id ~= old.id and (published[uri] or 0) > before
    end, 20)
    result.after_restart = diagnostics(buf)
  end
end, debug.traceback)

if not ok then
  table.insert(result.errors, err)
end
finish()
