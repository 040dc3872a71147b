package cli

import "fmt"

// resolveApplySet merges --applyset (flag) with the ApplySet the
// directory's ControlPlaneConfig names (setting): the setting is used when
// the flag is empty, and a flag that names another set is an error, since
// planning or pruning the wrong set is what the setting is there to
// prevent. needed, when not empty, is the error for no set at all.
func resolveApplySet(flag *string, setting, needed string) error {
	switch {
	case setting != "" && *flag != "" && *flag != setting:
		return fmt.Errorf("--applyset %s: the directory's ControlPlaneConfig names ApplySet %s (spec.applySet); drop --applyset or make them agree", *flag, setting)
	case setting != "":
		*flag = setting
	case *flag == "" && needed != "":
		return fmt.Errorf("%s", needed)
	}
	return nil
}
