package diagnostics

import "testing"

// TestOpenQuestionLabelPrefilter: the quick test before the regexp never
// says no where the regexp finds a label, whatever the case or folding.
func TestOpenQuestionLabelPrefilter(t *testing.T) {
	for _, text := range []string{
		"Open questions: none", "**OPEN QUESTIONS:** x", "- open issues — later", "  _Open Issues_: y",
		"Open queſtions: the long s folds to s", "open Questions - z", "nothing here", "open\nquestions:", "opening questions:",
	} {
		if openQuestionLabel.MatchString(text) && !mayLabelOpenQuestions([]byte(text)) {
			t.Errorf("%q: the regexp matches but the prefilter says no", text)
		}
	}
	if mayLabelOpenQuestions([]byte("a spec without the label\n| x | y |\n")) {
		t.Error("the prefilter should rule out a text without the words")
	}
}
