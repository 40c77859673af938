" Vim (Debian's vim with vim-ale), configured with the ALE block of
" docs/editors.md (SPECLS_CONFIG, cut out of the document by run.sh), opens
" a failing tech spec: ALE shows specls's section-missing finding, and
" :ALECodeAction there, with the user typing the number of the "Insert"
" fix, inserts the section; written, the file passes `specls check` on
" that finding. Every wait is bounded; results go to SPECLS_RESULTS.
set nocompatible
filetype plugin on
syntax off
set noswapfile shortmess+=F
let g:ale_lint_delay = 0
let g:ale_echo_cursor = 0

let s:results = $SPECLS_RESULTS
function! s:Say(msg) abort
  call writefile([a:msg], s:results, 'a')
endfunction

" Wait up to 30 s for an expression, letting Vim run jobs and timers.
function! s:Wait(what, expr) abort
  let l:deadline = reltimefloat(reltime()) + 30
  while !eval(a:expr)
    if reltimefloat(reltime()) > l:deadline
      throw 'timed out waiting for ' . a:what
    endif
    sleep 20m
  endwhile
endfunction

function! s:Loclist() abort
  return ale#engine#GetLoclist(bufnr(''))
endfunction

function! s:Missing() abort
  for l:item in s:Loclist()
    if get(l:item, 'code', '') is# 'section-missing' && l:item.text =~# '"## Data Models"'
      return l:item
    endif
  endfor
  return {}
endfunction

" The user reads ALE's numbered list and types the number of the fix.
let s:offered = ''
function! s:Pick(message, ...) abort
  let s:offered = a:message
  for l:line in split(a:message, "\n")
    let l:m = matchlist(l:line, '^\(\d\+\)) Insert "## Data Models" from the template$')
    if !empty(l:m)
      return l:m[1]
    endif
  endfor
  return ''
endfunction

function! s:Test() abort
  execute 'source ' . fnameescape($SPECLS_CONFIG)
  call s:Say('# ' . split(execute('version'), "\n")[0] . ', ALE ' . (ale#Has('ale-3.3.0') ? '3.3 or later' : 'older than 3.3'))
  execute 'edit ' . fnameescape($SPECLS_WORK . '/tasks/prd-reset/_techspec.md')
  if &filetype isnot# 'markdown'
    throw 'filetype ' . &filetype
  endif
  call s:Wait('ALE to show section-missing for "## Data Models"', '!empty(s:Missing())')
  let l:n = len(filter(copy(s:Loclist()), 'get(v:val, "linter_name", "") is# "specls"'))
  call s:Say('ok - ALE shows ' . l:n . ' specls findings, section-missing among them')

  let l:before = getline(1, '$')
  let l:item = s:Missing()
  call cursor(l:item.lnum, l:item.col)
  " ALE asks with ale#util#Input; answer as the user would.
  runtime autoload/ale/util.vim
  function! ale#util#Input(message, value, ...) abort
    return s:Pick(a:message)
  endfunction
  ALECodeAction
  call s:Wait('the quick fix to insert the section (offered: ' . s:offered . ')', 'index(getline(1, "$"), "## Data Models") >= 0')
  " It only inserted: the old lines are all there, in order.
  let l:now = getline(1, '$')
  let l:j = 0
  for l:line in l:now
    if l:j < len(l:before) && l:line is# l:before[l:j]
      let l:j += 1
    endif
  endfor
  if l:j != len(l:before)
    throw 'the quick fix changed line ' . (l:j + 1) . ': ' . l:before[l:j]
  endif
  call s:Say('ok - :ALECodeAction applied the fix; offered: ' . join(filter(split(s:offered, "\n"), 'v:val =~# "^\\d"'), ' | '))

  write
  let l:out = system('specls check --format json ' . shellescape($SPECLS_WORK))
  let l:report = json_decode(l:out)
  for l:f in l:report.features[0].findings
    if l:f.code is# 'section-missing'
      throw 'specls check still reports ' . l:f.message
    endif
  endfor
  call s:Wait('ALE without section-missing', 'empty(s:Missing()) && !empty(s:Loclist())')
  call s:Say('ok - written, the finding is gone (ALE and specls check)')
endfunction

try
  call s:Test()
  call s:Say('PASS')
  qall!
catch
  call s:Say('FAIL: ' . v:exception . ' (' . v:throwpoint . ')')
  cquit
endtry
