-- The Neovim tier: Neovim's own LSP client (vim.lsp.start_client, Neovim 0.7 as Debian 12 ships it) against
-- `docplan-language-server --stdio`. Diagnostics arrive for a plan, a code action applies and removes its
-- diagnostic, and while a 512 KB plan is being checked a hover on the plan, and the hover and outline of a
-- plan opened meanwhile, are answered before the large plan's diagnostics.
-- Run by test/nvim/run.sh: nvim --headless -u NONE -c "luafile test/nvim/lsp.lua"
local root = assert(os.getenv('DOCPLAN_NVIM_WORKSPACE'), 'DOCPLAN_NVIM_WORKSPACE')
local server = assert(os.getenv('DOCPLAN_SERVER'), 'DOCPLAN_SERVER')
local WAIT_MS = 60000

local function say(message)
  io.stdout:write('[nvim] ' .. message .. '\n')
end

local function fail(message)
  io.stderr:write('[nvim] FAILED: ' .. message .. '\n')
  vim.cmd('cquit 1')
end

local function check(condition, message)
  if not condition then fail(message) end
end

vim.o.hidden = true

-- When each document's diagnostics arrived (Neovim's own handler still stores them).
local published_at = {}
local client_id = vim.lsp.start_client({
  name = 'docplan',
  -- The bin itself, as users start it: its shebang passes the server's V8 flags to Node.
  cmd = { server, '--stdio' },
  root_dir = root,
  workspace_folders = { { uri = vim.uri_from_fname(root), name = 'workspace' } },
  -- Answered to workspace/configuration by Neovim's default handler.
  settings = { docplan = { checkWorkspace = false } },
  handlers = {
    ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
      published_at[result.uri] = published_at[result.uri] or {}
      table.insert(published_at[result.uri], vim.loop.hrtime())
      return vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
    end,
  },
  on_exit = function(code)
    if code ~= 0 then io.stderr:write('[nvim] server exited with ' .. code .. '\n') end
  end,
})
check(client_id ~= nil, 'the client started')

local function open(relative)
  local path = root .. '/' .. relative
  local buffer = vim.fn.bufadd(path)
  vim.fn.bufload(buffer)
  vim.bo[buffer].filetype = 'markdown'
  check(vim.lsp.buf_attach_client(buffer, client_id), 'attached to ' .. relative)
  return buffer, vim.uri_from_fname(path)
end

local function codes(buffer)
  local found = {}
  for _, diagnostic in ipairs(vim.diagnostic.get(buffer)) do
    local code = diagnostic.code or (diagnostic.user_data and diagnostic.user_data.lsp and diagnostic.user_data.lsp.code)
    table.insert(found, tostring(code))
  end
  table.sort(found)
  return found
end

local function has(list, wanted)
  return vim.tbl_contains(list, wanted)
end

-- 1. Diagnostics for a plan.
local plan, plan_uri = open('docs/plan.md')
check(vim.wait(WAIT_MS, function() return has(codes(plan), 'missing-goals') end, 50), 'missing-goals published for docs/plan.md')
check(has(codes(plan), 'stage-too-large'), 'stage-too-large (from .docplan.json) published: ' .. table.concat(codes(plan), ', '))
say('diagnostics: ' .. table.concat(codes(plan), ', '))

-- 2. A code action applies and its diagnostic goes away.
local client = vim.lsp.get_client_by_id(client_id)
local goals
for _, diagnostic in ipairs(vim.lsp.diagnostic.get_line_diagnostics(plan, 0)) do
  if diagnostic.code == 'missing-goals' then goals = diagnostic end
end
check(goals ~= nil, 'the missing-goals diagnostic on line 1')
local responses = vim.lsp.buf_request_sync(plan, 'textDocument/codeAction', {
  textDocument = { uri = plan_uri },
  range = goals.range,
  context = { diagnostics = { goals }, only = { 'quickfix' } },
}, WAIT_MS)
local action
for _, response in pairs(responses or {}) do
  for _, candidate in ipairs(response.result or {}) do
    if candidate.title == 'Insert a Goals section' then action = candidate end
  end
end
check(action ~= nil and action.edit ~= nil, 'an "Insert a Goals section" quick fix with an edit')
vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
check(vim.wait(WAIT_MS, function() return not has(codes(plan), 'missing-goals') end, 50), 'missing-goals gone after the fix: ' .. table.concat(codes(plan), ', '))
check(has(codes(plan), 'stage-too-large'), 'the other diagnostic stays')
say('code action applied: ' .. action.title)

-- 3. A hover on the plan while a 512 KB plan is being checked.
local reference
for index, line in ipairs(vim.api.nvim_buf_get_lines(plan, 0, -1, false)) do
  local column = line:find('src/cache.ts', 1, true)
  if column then reference = { line = index - 1, character = column + 2 } end
end
check(reference ~= nil, 'the plan references src/cache.ts')
local _, large_uri = open('docs/large.md')
local opened = vim.loop.hrtime()
local hover_at, hover_text
vim.lsp.buf_request(plan, 'textDocument/hover', { textDocument = { uri = plan_uri }, position = reference }, function(err, result)
  hover_at = vim.loop.hrtime()
  check(err == nil, 'hover answered without error')
  hover_text = result and vim.inspect(result.contents) or 'null'
end)
-- A plan opened while the large one is checked: its own check must not queue behind it.
local late, late_uri = open('docs/late.md')
local late_hover_at, late_hover_text, symbols_at, symbols_text
vim.lsp.buf_request(late, 'textDocument/hover', { textDocument = { uri = late_uri }, position = reference }, function(err, result)
  late_hover_at = vim.loop.hrtime()
  check(err == nil, 'hover on the late plan answered without error')
  late_hover_text = result and vim.inspect(result.contents) or 'null'
end)
vim.lsp.buf_request(late, 'textDocument/documentSymbol', { textDocument = { uri = late_uri } }, function(err, result)
  symbols_at = vim.loop.hrtime()
  check(err == nil, 'document symbols of the late plan answered without error')
  symbols_text = vim.inspect(result)
end)
-- The first diagnostics of the open large plan (not those a background check may have sent for its file).
local function large_published()
  for _, at in ipairs(published_at[large_uri] or {}) do
    if at > opened then return at end
  end
  return nil
end
check(vim.wait(WAIT_MS * 2, function()
  return hover_at ~= nil and late_hover_at ~= nil and symbols_at ~= nil and large_published() ~= nil
end, 10), 'the hovers, the outline and the large plan\'s diagnostics')
local large_at = large_published()
say(string.format('hover %d ms, late hover %d ms, late outline %d ms, large diagnostics %d ms after opening it', (hover_at - opened) / 1e6, (late_hover_at - opened) / 1e6, (symbols_at - opened) / 1e6, (large_at - opened) / 1e6))
check(hover_text:find('cache.ts', 1, true) ~= nil, 'the hover describes the referenced file: ' .. hover_text)
check(hover_at < large_at, 'the hover was answered before the large plan\'s diagnostics')
check(late_hover_text:find('cache.ts', 1, true) ~= nil, 'the late plan\'s hover describes the referenced file: ' .. late_hover_text)
check(symbols_text:find('Stage 1', 1, true) ~= nil, 'the late plan\'s outline: ' .. symbols_text:sub(1, 200))
check(late_hover_at < large_at and symbols_at < large_at, 'the late plan was answered before the large plan\'s diagnostics')
say(string.format('hover answered in %d ms; the 512 KB plan\'s diagnostics after %d ms', (hover_at - opened) / 1e6, (large_at - opened) / 1e6))

vim.lsp.stop_client(client_id)
vim.wait(5000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 50)
say('passed')
vim.cmd('qall!')
