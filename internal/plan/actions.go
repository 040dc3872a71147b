package plan

import (
	"fmt"

	"github.com/fatih/color"
)

// actionWords is everything the printers say about one action. A new
// action is one entry in actionTable (and one in Actions); the text, JSON
// and Markdown printers, the summary and the comment's verdict read it.
type actionWords struct {
	// symbol marks the action in text output: "+", "~", ...
	symbol string
	// outcome ends a text header: "Deployment/shop/edge will be created".
	outcome string
	// done is what apply prints after the object once it did the action,
	// in kubectl apply's words where kubectl has one (created, configured,
	// unchanged, pruned): "Deployment/shop/edge configured".
	done string
	// phrase counts the action in the summary sentence; %d is the count.
	phrase string
	// icon is the GitHub emoji shortcode of the Markdown comment.
	icon string
	// color is the text header's color.
	color color.Attribute
	// blocks is true when apply would stop on an object with this action
	// without another flag or a fix: a CI job fails on it.
	blocks bool
}

var actionTable = map[Action]actionWords{
	Create:    {symbol: "+", outcome: "will be created", done: "created", phrase: "%d to create", icon: ":heavy_plus_sign:", color: color.FgGreen},
	Update:    {symbol: "~", outcome: "will be updated", done: "configured", phrase: "%d to update", icon: ":pencil2:", color: color.FgYellow},
	Delete:    {symbol: "-", outcome: "will be deleted (prune)", done: "pruned", phrase: "%d to delete", icon: ":heavy_minus_sign:", color: color.FgRed},
	TakeOver:  {symbol: ">", outcome: "will be taken over from Kuma's controller", done: "taken over (instance deleted with orphan propagation)", phrase: "%d to take over", icon: ":handshake:", color: color.FgCyan},
	Replace:   {symbol: "-/+", outcome: "must be replaced", done: "recreated", phrase: "%d to replace", icon: ":recycle:", color: color.FgRed, blocks: true},
	Conflict:  {symbol: "!", outcome: "has conflicts", done: "has conflicts", phrase: "%d with conflicts", icon: ":warning:", color: color.FgMagenta, blocks: true},
	Error:     {symbol: "x", outcome: "was rejected by the server", done: "was rejected by the server", phrase: "%d rejected", icon: ":x:", color: color.FgRed, blocks: true},
	Unchanged: {symbol: " ", outcome: "is unchanged", done: "unchanged", phrase: "%d unchanged", icon: ":white_check_mark:", color: color.FgWhite},
}

// wordsOf is the table entry of a, or words that show an action this
// version does not know (a newer cluster package may add one) as unknown
// rather than hide it.
func wordsOf(a Action) actionWords {
	if w, ok := actionTable[a]; ok {
		return w
	}
	return actionWords{
		symbol:  "?",
		outcome: fmt.Sprintf("has an unknown action %q", string(a)),
		done:    string(a),
		phrase:  "%d " + string(a),
		icon:    ":grey_question:",
		color:   color.FgMagenta,
	}
}

// Done is how apply reports that it did a to an object: kubectl apply's
// words (created, configured, unchanged, pruned), and recreated and taken
// over for the actions kubectl lacks. One vocabulary: apply's results carry
// a plan.Action; only the word printed for it follows kubectl, whose output
// users and scripts already read.
func (a Action) Done() string { return wordsOf(a).done }

// Color is the color of a's header in text output (and of apply's word).
func (a Action) Color() color.Attribute { return wordsOf(a).color }

// Blocks reports whether apply would stop on an object with action a, so a
// pipeline should fail: a conflict, a replace (without --recreate) or an
// object the server rejected.
func (a Action) Blocks() bool { return wordsOf(a).blocks }
