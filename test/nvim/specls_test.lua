-- Headless Neovim drives specls through editors/nvim as a user would, on
-- every Neovim the suite installs (0.7, 0.10, 0.12): settings switch gate C
-- off (setup{} on 0.7-0.10, vim.lsp.config + vim.lsp.enable on 0.11+ as
-- docs/editors.md says), the plugin starts the server for a failing tech
-- spec, the diagnostics arrive and equal what `specls check` reports less
-- gate C, the gate code lens shows and running it opens the report in a
-- float, the LSP omnifunc completes headings, a quick fix offered at the
-- section-missing finding is applied through Neovim's own code action path,
-- the file is written, the finding is gone on re-check and the lens
-- follows. Then the user commands, :checkhealth specls, and an lsp.log
-- without the server's stderr.
--
-- Run by test/nvim/run.sh: nvim --headless --clean -u specls_test.lua, with
-- SPECLS_PLUGIN (editors/nvim), SPECLS_WORK (a copy of testdata/),
-- SPECLS_RESULTS (where to write the results) and the specls binary first
-- on PATH. Every wait is on an event, bounded so that a missing one fails
-- the test instead of hanging it.

local plugin = assert(os.getenv('SPECLS_PLUGIN'), 'SPECLS_PLUGIN is not set')
local work = assert(os.getenv('SPECLS_WORK'), 'SPECLS_WORK is not set')
vim.opt.runtimepath:prepend(plugin) -- plugin/specls.lua loads after this file, as for a user
-- A Neovim unpacked from Debian's archive (scripts/editors.sh) keeps its
-- tree-sitter parsers (markdown's ftplugin needs one on 0.12) in
-- usr/lib/nvim beside its runtime; a system install has that folder on
-- 'runtimepath' already.
local parsers = vim.fn.fnamemodify(vim.env.VIMRUNTIME or '', ':h:h:h') .. '/lib/nvim'
if vim.fn.isdirectory(parsers .. '/parser') == 1 then
  vim.opt.runtimepath:append(parsers)
end
vim.opt.swapfile = false
vim.opt.shortmess:append('F')

local TIMEOUT = 30000
local techspec = work .. '/tasks/prd-reset/_techspec.md'
local api = vim.api

-- Results go to their own file: Neovim prints its messages on the terminal.
local results = assert(io.open(assert(os.getenv('SPECLS_RESULTS'), 'SPECLS_RESULTS is not set'), 'a'))
local function say(msg)
  results:write(msg .. '\n')
  results:flush()
end

local has = function(v)
  return vim.fn.has('nvim-' .. v) == 1
end

-- What the user sees: messages from the server.
local messages = {}
local show = vim.lsp.handlers['window/showMessage']
vim.lsp.handlers['window/showMessage'] = function(err, result, ctx, config)
  table.insert(messages, result.message)
  return show(err, result, ctx, config)
end
local function wait(what, cond)
  if not vim.wait(TIMEOUT, cond, 10) then
    error('timed out waiting for ' .. what, 2)
  end
end

local function check(cond, msg)
  if not cond then
    error(msg, 2)
  end
end

local function lines(buf)
  return api.nvim_buf_get_lines(buf, 0, -1, false)
end

local function read(path)
  local f = assert(io.open(path, 'rb'))
  local s = f:read('*a')
  f:close()
  return s
end

-- cli runs `specls check --format json` on the work folder: the findings
-- CI would see for the file on disk.
local function cli()
  local out = vim.fn.system({ 'specls', 'check', '--format', 'json', work })
  local ok, report = pcall(vim.fn.json_decode, out)
  check(ok and type(report) == 'table', 'specls check --format json: ' .. out)
  return report.features[1]
end

local function key(code, line, col, message)
  return string.format('%d:%d %s: %s', line, col, code, message)
end

-- The diagnostics of the buffer, keyed like the CLI's findings (1-based
-- line, 1-based byte column).
local function editor_findings(buf)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    check(d.source == 'specls', 'diagnostic from ' .. tostring(d.source))
    table.insert(out, key(d.code, d.lnum + 1, d.col + 1, d.message))
  end
  table.sort(out)
  return out
end

-- cli_findings are the CLI's findings for the tech spec, less gate C,
-- which the editor's settings switch off.
local function cli_findings(feature)
  local out = {}
  for _, f in ipairs(feature.findings) do
    if f.gate ~= 'C' and f.path:sub(-#'tasks/prd-reset/_techspec.md') == 'tasks/prd-reset/_techspec.md' then
      table.insert(out, key(f.code, f.range.startLine, f.range.startColumn, f.message))
    end
  end
  table.sort(out)
  return out
end

local function missing_data_models(buf)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.code == 'section-missing' and d.message:find('"## Data Models"', 1, true) then
      return d
    end
  end
end

local function client_of(buf)
  return require('specls').clients(buf)[1]
end

-- lens_titles returns the titles of the buffer's code lenses, without the
-- "  (profile)" the gate lens may end with.
local function lens_titles(buf)
  local out = {}
  local got = vim.lsp.codelens.get(has('0.12') and { bufnr = buf } or buf)
  for _, l in ipairs(got or {}) do
    local lens = l.lens or l
    if lens.command then
      table.insert(out, (lens.command.title:gsub('  %([^)]*%)$', '')))
    end
  end
  return out
end

local function wait_lens(buf, want)
  if not vim.wait(TIMEOUT, function()
    return vim.tbl_contains(lens_titles(buf), want)
  end, 10) then
    error('timed out waiting for the gate code lens "' .. want .. '" (have: ' .. vim.inspect(lens_titles(buf)) .. ')', 2)
  end
end

-- float_lines returns the lines of the floating windows open now.
local function float_lines()
  local out = {}
  for _, w in ipairs(api.nvim_list_wins()) do
    if api.nvim_win_get_config(w).relative ~= '' then
      vim.list_extend(out, lines(api.nvim_win_get_buf(w)))
    end
  end
  return out
end

local function close_floats()
  for _, w in ipairs(api.nvim_list_wins()) do
    if api.nvim_win_get_config(w).relative ~= '' then
      api.nvim_win_close(w, true)
    end
  end
end

-- without_gate_c drops gate C from a gate summary: "C ✗ 1" becomes "C -".
local function without_gate_c(summary)
  return (summary:gsub('C ✗ %d+', 'C -'))
end

-- client_diagnostics are the buffer's diagnostics from one client, pushed
-- or pulled: the namespaces Neovim names "(n)vim.lsp.specls.<id>[.…]".
local function client_diagnostics(buf, id)
  local out = {}
  for ns, meta in pairs(vim.diagnostic.get_namespaces()) do
    local name = type(meta) == 'table' and meta.name or ''
    if name:match('^n?vim%.lsp%.specls%.' .. id .. '$') or name:match('^n?vim%.lsp%.specls%.' .. id .. '%.') then
      vim.list_extend(out, vim.diagnostic.get(buf, { namespace = ns }))
    end
  end
  return out
end

-- lsp/specls.lua is for Neovim 0.11's vim.lsp.config; this Neovim may be
-- older, so its root_dir runs here, with vim.fs stand-ins before 0.10: it
-- must start a client for spec files only.
local function check_lsp_config()
  local cfg = dofile(plugin .. '/lsp/specls.lua')
  check(vim.deep_equal(cfg.cmd, { 'specls', 'serve' }) and vim.deep_equal(cfg.filetypes, { 'markdown' }), 'lsp/specls.lua: ' .. vim.inspect(cfg))
  local saved = vim.fs
  vim.fs = (vim.fs and vim.fs.root) and vim.fs or {
    basename = function(p)
      return vim.fn.fnamemodify(p, ':t')
    end,
    dirname = function(p)
      return vim.fn.fnamemodify(p, ':h')
    end,
    root = function(buf, markers)
      return vim.tbl_contains(type(markers) == 'table' and markers or { markers }, 'tasks') and work or nil
    end,
  }
  local roots = {}
  for _, name in ipairs({ 'notes.md', '_techspec.md', '_prd.md', '_tasks.md', 'x_prd.md' }) do
    local b = api.nvim_create_buf(false, false) -- a file buffer: vim.fs.root uses the cwd for scratch ones
    api.nvim_buf_set_name(b, work .. '/tasks/prd-reset/' .. name)
    cfg.root_dir(b, function(root)
      roots[name] = root
    end)
    api.nvim_buf_delete(b, { force = true })
  end
  vim.fs = saved
  check(vim.deep_equal(roots, { ['_techspec.md'] = work, ['_prd.md'] = work, ['_tasks.md'] = work }), 'lsp/specls.lua root_dir: ' .. vim.inspect(roots))
  say('ok - lsp/specls.lua starts a client for spec files only')
end

local function test()
  check(vim.g.loaded_specls, 'plugin/specls.lua was not loaded from ' .. plugin)
  check_lsp_config()
  check(vim.fn.exists(':SpeclsGates') == 2 and vim.fn.exists(':SpeclsGenerate') == 2, 'user commands missing')
  local v = vim.version()
  say(string.format('# Neovim %d.%d.%d', v.major, v.minor, v.patch))

  -- Settings as a user writes them: gate C off.
  if has('0.11') then
    vim.lsp.config('specls', { settings = { specls = { gates = { C = 'off' } } } })
    vim.lsp.enable('specls')
  else
    require('specls').setup({ settings = { gates = { C = 'off' } } })
  end

  -- Opening the spec starts the server (the plugin's autocommand) with the
  -- workspace root found from the markers.
  vim.cmd('edit ' .. vim.fn.fnameescape(techspec))
  local buf = api.nvim_get_current_buf()
  local original = lines(buf)
  wait('the specls client to attach', function()
    return client_of(buf) ~= nil
  end)
  local client = client_of(buf)
  check(client.config.root_dir == work, 'root_dir ' .. tostring(client.config.root_dir) .. ', want ' .. work)
  wait('the section-missing diagnostic', function()
    return missing_data_models(buf) ~= nil
  end)
  say('ok - diagnostics arrived; section-missing for "## Data Models"')

  -- The editor shows what CI reports: same codes, lines, byte columns
  -- (after the UTF-16 conversion; the file has CJK and emoji) and messages,
  -- less gate C, which the settings switched off.
  local feature = cli()
  local gate_c = 0
  for _, f in ipairs(feature.findings) do
    gate_c = gate_c + (f.gate == 'C' and 1 or 0)
  end
  check(gate_c > 0, 'the test data has no gate C finding, so the settings prove nothing')
  wait('the editor diagnostics to equal specls check less gate C', function()
    return vim.deep_equal(editor_findings(buf), cli_findings(feature))
  end)
  say(string.format('ok - %d diagnostics equal `specls check` (codes, positions, messages); settings switched gate C off (%d finding(s))', #vim.diagnostic.get(buf), gate_c))

  -- The gate code lens, refreshed by the plugin, with gate C off.
  local summary = without_gate_c(feature.summary)
  check(summary ~= feature.summary, 'gate C is not failing in ' .. feature.summary)
  wait_lens(buf, 'Gates: ' .. summary)
  say('ok - code lens "Gates: ' .. summary .. '"')

  -- Running the lens opens the report in a float, not a many-line echo.
  api.nvim_win_set_cursor(0, { 1, 0 })
  vim.lsp.codelens.run()
  wait('the gate report in a float', function()
    return float_lines()[1] == 'Gates: ' .. summary
  end)
  local report = table.concat(float_lines(), '\n')
  check(report:find('Gate E (', 1, true) ~= nil, 'the report lacks the failing gate E:\n' .. report)
  close_floats()
  check(api.nvim_get_current_buf() == buf, 'closing the report did not return to the spec')
  say('ok - running the lens opens the gate report in a float')

  -- :SpeclsGates opens the same report.
  vim.cmd('SpeclsGates')
  wait('the :SpeclsGates float', function()
    return float_lines()[1] == 'Gates: ' .. summary
  end)
  close_floats()
  say('ok - :SpeclsGates shows "Gates: ' .. summary .. '"')

  -- Completion: the LSP omnifunc (the markdown ftplugin set htmlcomplete's),
  -- called as <C-x><C-o> calls it, through the option. A headless test
  -- cannot sit in Insert mode while it waits, so mode() says Insert and
  -- complete(), which Neovim calls with the server's items, records them.
  check(vim.bo[buf].omnifunc == 'v:lua.vim.lsp.omnifunc', "'omnifunc' is " .. vim.bo[buf].omnifunc)
  local items
  local saved = { complete = vim.fn.complete, mode = vim.fn.mode, get_mode = api.nvim_get_mode }
  vim.fn.complete = function(_, matches)
    items = matches
  end
  vim.fn.mode = function()
    return 'i'
  end
  api.nvim_get_mode = function()
    return { mode = 'i', blocking = false }
  end
  local last = api.nvim_buf_line_count(buf)
  api.nvim_buf_set_lines(buf, last, last, false, { '## Data' })
  api.nvim_win_set_cursor(0, { last + 1, 6 }) -- on the last 'a', as <C-x><C-o> after 'A' would ask
  -- (Neovim sends the pending change before the completion request.)
  local ok_omni, omni_err = pcall(function()
    local start = vim.api.nvim_eval(vim.bo[buf].omnifunc .. '(1, "")')
    local res = vim.api.nvim_eval(vim.bo[buf].omnifunc .. '(0, "Data")')
    if type(res) == 'table' and #res > 0 then
      items = res
    end
    wait('completion items from the omnifunc (findstart ' .. tostring(start) .. ')', function()
      return items ~= nil
    end)
  end)
  vim.fn.complete, vim.fn.mode, api.nvim_get_mode = saved.complete, saved.mode, saved.get_mode
  check(ok_omni, tostring(omni_err))
  local words = {}
  for _, it in ipairs(items) do
    table.insert(words, type(it) == 'table' and (it.word or it.abbr) or it)
  end
  check(table.concat(words, '|'):find('Data Models', 1, true) ~= nil, 'omnifunc offered: ' .. table.concat(words, ' | '))
  api.nvim_buf_set_lines(buf, last, -1, false, {})
  say('ok - <C-x><C-o> completes "## Data" with: ' .. table.concat(words, ' | '))

  -- Hover, symbols and definition through the client's request path.
  local function ask(method, params)
    local res = vim.lsp.buf_request_sync(buf, method, params, TIMEOUT)
    for _, r in pairs(res or {}) do
      check(not r.err, method .. ': ' .. vim.inspect(r.err))
      return r.result
    end
  end
  local at = function(line, col)
    return { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = line, character = col } }
  end
  local arch = vim.fn.index(lines(buf), '## Architecture Overview')
  local hover = ask('textDocument/hover', at(arch, 4))
  check(hover and hover.contents.value:find('required template section', 1, true), 'hover: ' .. vim.inspect(hover))
  local symbols = ask('textDocument/documentSymbol', { textDocument = { uri = vim.uri_from_bufnr(buf) } })
  local names = {}
  local function walk(list)
    for _, sym in ipairs(list or {}) do
      table.insert(names, sym.name)
      walk(sym.children)
    end
  end
  walk(symbols)
  check(vim.tbl_contains(names, 'Architecture Overview'), 'symbols: ' .. table.concat(names, ', '))
  local fr = vim.fn.index(lines(buf), 'Issues and redeems reset tokens (FR-1, FR-2).')
  local def = ask('textDocument/definition', at(fr, 34))
  def = def and (def.uri and def or def[1])
  check(def and (def.uri or def.targetUri):find('_prd.md$'), 'definition of FR-1: ' .. vim.inspect(def))
  say(string.format('ok - hover, %d symbols, definition of FR-1 in _prd.md', #names))

  -- Generation without an AI endpoint: the server's one action says how
  -- to configure one.
  local actions = require('specls').generate_actions(buf)
  check(#actions > 0, 'no generation actions offered for a missing section')
  local before = #messages
  require('specls').generate(buf)
  wait('the configure-AI hint', function()
    return #messages > before and messages[#messages]:find('base-url', 1, true) ~= nil
  end)
  say('ok - :SpeclsGenerate without an endpoint says how to configure one')

  -- The quick fix, through Neovim's own code action request and apply
  -- path; the user picks the preferred fix for the finding.
  local d = missing_data_models(buf)
  api.nvim_win_set_cursor(0, { d.lnum + 1, d.col })
  local offered, declined = {}, false
  local fixes_it = function(a)
    for _, fd in ipairs(a.diagnostics or {}) do
      if fd.code == 'section-missing' and fd.message:find('"## Data Models"', 1, true) then
        return true
      end
    end
    return false
  end
  vim.ui.select = function(items, opts, on_choice)
    local pick
    for _, item in ipairs(items) do
      local a = item.action or item[2] -- 0.10+: { action, ctx }; 0.7: { client_id, action }
      table.insert(offered, (opts.format_item and opts.format_item(item) or a.title) .. (a.isPreferred and ' (preferred)' or ''))
      -- The fix the editor marks preferred for this finding, else the
      -- first quick fix that names it.
      if a.kind == 'quickfix' and fixes_it(a) and (not pick or (a.isPreferred and not (pick.action or pick[2]).isPreferred)) then
        pick = item
      end
    end
    declined = pick == nil
    on_choice(pick)
  end
  if vim.fn.has('nvim-0.8') == 1 then
    vim.lsp.buf.code_action({ context = { only = { 'quickfix' } } })
  else
    vim.lsp.buf.code_action({ only = { 'quickfix' } })
  end
  wait('the quick fix to insert the section', function()
    check(not declined, 'no quick fix for the finding among: ' .. table.concat(offered, ' | '))
    return vim.tbl_contains(lines(buf), '## Data Models')
  end)
  say('ok - quick fix applied, offered: ' .. table.concat(offered, ' | '))

  -- The fix only inserted: every original line is still there, in order.
  local now, j = lines(buf), 1
  for _, l in ipairs(now) do
    if l == original[j] then
      j = j + 1
    end
  end
  check(j == #original + 1, 'the quick fix changed existing text (line ' .. j .. ': ' .. tostring(original[j]) .. ')')
  local at = vim.fn.index(now, '## Data Models')
  check(at > vim.fn.index(now, '## Proto Definitions') and at < vim.fn.index(now, '## Communication Patterns'), 'Data Models inserted out of template order')

  -- Write, and the finding is gone on re-check: in the editor, for the
  -- version on disk, and in `specls check`.
  vim.cmd('write')
  check(read(techspec):find('\n## Data Models\n', 1, true) ~= nil, 'the written file lacks the section')
  -- (0.7 gets them pushed, 0.10+ pulls them.)
  wait('diagnostics without section-missing', function()
    return #vim.diagnostic.get(buf) > 0 and missing_data_models(buf) == nil
  end)
  for _, f in ipairs(cli().findings) do
    check(f.code ~= 'section-missing', 'specls check still reports ' .. f.code .. ': ' .. f.message)
  end
  say('ok - after :write the finding is gone (editor and specls check)')

  -- The lens follows the diagnostics: deciding the TBD (a gate E finding)
  -- changes the gates, and the lens shows what `specls check` then says.
  local tbd = vim.fn.index(lines(buf), 'Token hashing (身份服务 🚪): TBD with the security team.')
  check(tbd >= 0, 'the TBD line is gone')
  api.nvim_buf_set_lines(buf, tbd, tbd + 1, false, { 'Token hashing (身份服务 🚪): argon2id, decided with the security team.' })
  vim.cmd('write')
  local after = without_gate_c(cli().summary)
  check(after ~= summary, 'deciding the TBD did not change the gates: ' .. after)
  wait_lens(buf, 'Gates: ' .. after)
  say('ok - the lens follows: "Gates: ' .. after .. '"')

  -- :SpeclsRestart starts a new server that checks the buffer again.
  local old = client.id
  vim.cmd('SpeclsRestart')
  wait('a new client', function()
    local c = client_of(buf)
    return c ~= nil and c.id ~= old
  end)
  local c = client_of(buf)
  wait('diagnostics from the new server', function()
    return #client_diagnostics(buf, c.id) > 0
  end)
  for _, d in ipairs(client_diagnostics(buf, c.id)) do
    check(d.code ~= 'section-missing', 'the new server reports section-missing')
  end
  say('ok - :SpeclsRestart')

  -- :checkhealth specls sees the binary and the attached buffer.
  vim.cmd('checkhealth specls')
  local report = table.concat(lines(api.nvim_get_current_buf()), '\n')
  check(report:find('OK:? specls %(') ~= nil, 'checkhealth does not report the binary:\n' .. report)
  check(report:find('_techspec.md is attached', 1, true) ~= nil, 'checkhealth does not report the attached buffer:\n' .. report)
  check(report:find('ERROR') == nil, 'checkhealth reports an error:\n' .. report)
  say('ok - :checkhealth specls')

  -- The server logs at warn by default: nothing of a clean session reaches
  -- lsp.log, where Neovim records each stderr line as an error.
  local log = io.open((vim.lsp.log and vim.lsp.log.get_filename or vim.lsp.get_log_path)(), 'r')
  local logged = log and log:read('*a') or ''
  if log then
    log:close()
  end
  check(logged:find('stderr', 1, true) == nil, 'lsp.log holds the server\'s stderr:\n' .. logged)
  say('ok - lsp.log holds nothing from the server\'s stderr')
end

-- nested: the test opens files, whose autocommands start the server.
api.nvim_create_autocmd('VimEnter', {
  once = true,
  nested = true,
  callback = function()
    local ok, err = xpcall(test, debug.traceback)
    if not ok then
      say('FAIL: ' .. tostring(err))
      say('messages: ' .. vim.inspect(messages))
      local buf = vim.fn.bufnr(techspec)
      if buf > 0 then
        say('diagnostics: ' .. vim.inspect(editor_findings(buf)))
      end
      say('lsp log: ' .. (vim.lsp.log and vim.lsp.log.get_filename or vim.lsp.get_log_path)())
      vim.cmd('cquit 1')
      return
    end
    say('PASS')
    vim.cmd('qall!')
  end,
})
