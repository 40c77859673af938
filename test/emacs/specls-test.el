;;; specls-test.el --- batch Emacs drives specls through eglot  -*- lexical-binding: t -*-
;;
;; Emacs (Debian's emacs-nox with elpa-eglot and elpa-markdown-mode),
;; configured with the eglot block of docs/editors.md (SPECLS_CONFIG, cut
;; out of the document by run.sh), opens a failing tech spec as a user
;; would: flymake's diagnostics equal `specls check' less what the
;; settings switch off, M-x eglot-code-actions applies the preferred quick
;; fix at the section-missing finding, the file is saved and the finding
;; is gone, and eldoc's hover explains a section heading and says nothing
;; on one still being typed.  Every wait is bounded; results go to
;; SPECLS_RESULTS.

(require 'cl-lib)
(require 'json)

(defvar specls-work (getenv "SPECLS_WORK"))
(defvar specls-results (getenv "SPECLS_RESULTS"))
(defvar specls-timeout 30)

(defun specls-say (fmt &rest args)
  (let ((coding-system-for-write 'utf-8))
    (write-region (concat (apply #'format fmt args) "\n") nil specls-results 'append 'quiet)))

(defun specls-idle ()
  "Run what Emacs runs once the user stops typing: a batch Emacs is
never idle, so eglot's idle timer that sends the buffer's changes
would never fire."
  (when (and (boundp 'eglot--change-idle-timer) eglot--change-idle-timer)
    (timer-event-handler eglot--change-idle-timer)))

(defun specls-wait (what pred)
  "Wait for PRED, running what Emacs's command loop would run meanwhile."
  (let ((deadline (+ (float-time) specls-timeout)) done)
    (while (not (setq done (funcall pred)))
      (when (> (float-time) deadline)
        (error "timed out waiting for %s" what))
      (specls-idle)
      (accept-process-output nil 0.05))
    done))

(defun specls-cli ()
  "The findings `specls check --format json' reports for the work folder
(paths relative to the current directory)."
  (with-temp-buffer
    (unless (eq 0 (call-process "specls" nil t nil "check" "--format" "json" specls-work))
      (unless (string-match-p "\"features\"" (buffer-string))
        (error "specls check: %s" (buffer-string))))
    (goto-char (point-min))
    (let ((report (json-parse-buffer :object-type 'plist :array-type 'list)))
      (car (plist-get report :features)))))

(defun specls-key (line col text)
  (format "%d:%d %s" line col text))

(defun specls-cli-keys (feature switched-off)
  "Keys of the CLI's tech spec findings, less the gates and rules the
settings switch off (SWITCHED-OFF: a predicate on a finding)."
  (sort (cl-loop for f in (plist-get feature :findings)
                 for r = (plist-get f :range)
                 when (and (equal (file-name-nondirectory (plist-get f :path)) "_techspec.md")
                           (not (funcall switched-off f)))
                 collect (specls-key (plist-get r :startLine) (plist-get r :startColumn)
                                     (format "specls [%s]: %s" (plist-get f :code) (plist-get f :message))))
        #'string<))

(defun specls-flymake-keys ()
  "Keys of flymake's diagnostics: 1-based line and byte column, text."
  (save-excursion
    (sort (cl-loop for d in (flymake-diagnostics (point-min) (point-max))
                   for beg = (flymake-diagnostic-beg d)
                   collect (progn
                             (goto-char beg)
                             (specls-key (line-number-at-pos beg)
                                         (1+ (string-bytes (buffer-substring-no-properties (line-beginning-position) beg)))
                                         (flymake-diagnostic-text d))))
          #'string<)))

(defun specls-find-diagnostic (code)
  (cl-find-if (lambda (d) (string-prefix-p (format "specls [%s]" code) (flymake-diagnostic-text d)))
              (flymake-diagnostics (point-min) (point-max))))

(defun specls-hover ()
  "What eldoc's hover function shows at point (nil for nothing)."
  (let ((got :none))
    (eglot-hover-eldoc-function (lambda (info &rest _) (setq got info)))
    (specls-wait "the hover" (lambda () (not (eq got :none))))
    got))

(defun specls-test ()
  (load (getenv "SPECLS_CONFIG") nil 'nomessage)
  (require 'markdown-mode)
  (require 'eglot)
  (specls-say "# %s, %s" (car (split-string (emacs-version) "\n"))
              (file-name-nondirectory (directory-file-name (file-name-directory (locate-library "eglot")))))
  (find-file (expand-file-name "tasks/prd-reset/_techspec.md" specls-work))
  (switch-to-buffer (current-buffer))
  (unless (derived-mode-p 'markdown-mode)
    (error "the tech spec opened in %s, not markdown-mode" major-mode))
  ;; The command that opened the file ends: eglot-ensure connects then.
  (run-hooks 'post-command-hook)
  (specls-wait "eglot to connect" #'eglot-current-server)
  (specls-say "ok - eglot connected (%s)" (process-command (jsonrpc--process (eglot-current-server))))

  ;; Flymake shows what CI reports, less gate C and section-empty, which
  ;; the settings of docs/editors.md switch off.
  (let* ((feature (specls-cli))
         (off (lambda (f) (or (equal (plist-get f :gate) "C") (equal (plist-get f :code) "section-empty"))))
         (want (specls-cli-keys feature off)))
    (unless (cl-some off (plist-get feature :findings))
      (error "the test data has nothing the settings switch off, so they prove nothing"))
    (specls-wait (format "flymake's diagnostics to equal specls check:\n%S" want)
                 (lambda () (flymake-start) (equal (specls-flymake-keys) want)))
    (specls-say "ok - %d flymake diagnostics equal `specls check' less the settings' gate C" (length want)))

  ;; M-x eglot-code-actions on the finding; RET takes the default, which
  ;; eglot makes the preferred action.
  (let* ((d (specls-find-diagnostic "section-missing"))
         (before (buffer-string))
         offered)
    (goto-char (flymake-diagnostic-beg d))
    (cl-letf (((symbol-function 'completing-read)
               (lambda (_prompt collection &optional _pred _req _init _hist def &rest _)
                 (setq offered (mapcar #'car collection))
                 def)))
      (let ((last-nonmenu-event ?\r))
        (call-interactively #'eglot-code-actions)))
    (unless (string-match-p "^## Data Models$" (buffer-string))
      (error "the quick fix did not insert the section; offered %S" offered))
    ;; It only inserted: the old text is still there, in order.
    (let ((now (buffer-string)) (i 0))
      (dolist (line (split-string before "\n"))
        (setq i (or (string-search line now i) (error "the quick fix changed %S" line)))))
    (specls-say "ok - eglot-code-actions applied the preferred fix; offered: %s" (string-join offered " | "))
    (save-buffer)
    (specls-wait "flymake without section-missing"
                 (lambda () (flymake-start) (and (flymake-diagnostics) (not (specls-find-diagnostic "section-missing")))))
    (dolist (f (plist-get (specls-cli) :findings))
      (when (equal (plist-get f :code) "section-missing")
        (error "specls check still reports %s" (plist-get f :message))))
    (specls-say "ok - after saving the finding is gone (flymake and specls check)"))

  ;; eldoc: hover on a heading explains the section.
  (goto-char (point-min))
  (re-search-forward "^## Data Models$")
  (goto-char (+ (match-beginning 0) 4))
  (let ((info (specls-hover)))
    (unless (and (stringp info) (string-match-p "Data Models" info) (string-match-p "required template section" info))
      (error "hover on ## Data Models: %S" info))
    (specls-say "ok - eldoc hover: %s" (car (split-string info "\n"))))
  ;; and says nothing on a heading still being typed.
  (goto-char (point-max))
  (insert "\n## ")
  (let ((info (specls-hover)))
    (when info
      (error "hover on a heading being typed: %S" info)))
  (specls-say "ok - eldoc says nothing on \"## \" being typed")
  (set-buffer-modified-p nil)
  (eglot-shutdown (eglot-current-server)))

(condition-case err
    (progn
      (specls-test)
      (specls-say "PASS")
      (kill-emacs 0))
  (error
   (specls-say "FAIL: %s" (error-message-string err))
   (kill-emacs 1)))
