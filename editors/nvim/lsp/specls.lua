-- specls for Neovim 0.11+ (vim.lsp.config). With this file on 'runtimepath'
-- (the plugin puts it there), `vim.lsp.enable('specls')` starts the server
-- for spec documents. Override any field with vim.lsp.config('specls', {...}),
-- e.g. settings = { specls = { rules = { ['section-empty'] = 'off' } } }
-- (the shape of .specls.yaml). The file stands alone: copy it into
-- ~/.config/nvim/lsp/ to use specls without the plugin.
local spec_files = { ['_prd.md'] = true, ['_techspec.md'] = true, ['_tasks.md'] = true }

return {
  cmd = { 'specls', 'serve' },
  filetypes = { 'markdown' },
  -- Only spec documents get a client: markdown is the filetype of every
  -- .md file, so root_dir declines the others. The root is the nearest
  -- folder holding .specls.yaml or tasks/, else the repository.
  root_dir = function(bufnr, on_dir)
    local name = vim.api.nvim_buf_get_name(bufnr)
    if not spec_files[vim.fs.basename(name)] then
      return
    end
    on_dir(vim.fs.root(bufnr, { '.specls.yaml', 'tasks' }) or vim.fs.root(bufnr, '.git') or vim.fs.dirname(name))
  end,
  settings = { specls = vim.empty_dict() },
}
