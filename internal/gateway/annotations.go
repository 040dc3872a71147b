package gateway

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kubectl-mgi/kubectl-mgi/internal/kuma"
)

// MGI metadata annotations that tune the gateway container (spec section 1).
const (
	AnnotationMesh              = "kuma.io/mesh"
	AnnotationEnvoyAdminPort    = "kuma.io/envoy-admin-port"
	AnnotationDrainTime         = "kuma.io/sidecar-drain-time"
	AnnotationEnvVars           = "kuma.io/sidecar-env-vars"
	AnnotationEnvoyLogLevel     = "kuma.io/envoy-log-level"
	AnnotationComponentLogLevel = "kuma.io/envoy-component-log-level"
	AnnotationConcurrency       = "kuma.io/sidecar-proxy-concurrency"
	AnnotationWaitForDataplane  = "kuma.io/wait-for-dataplane-ready"
	AnnotationAppProbeProxyPort = "kuma.io/application-probe-proxy-port"
)

// tuning is what the container factory reads from an MGI's annotations.
// Pointers are nil when the annotation is absent.
type tuning struct {
	adminPort         *int32
	drainTime         *time.Duration
	envVars           map[string]string
	concurrency       *int64
	waitReady         bool
	logLevel          *string
	componentLogLevel *string
	appProbeProxyPort *uint32
}

// parsedAnnotations are an instance's annotations read once (see
// Instance.parseAnnotations): the tuning and the problems found.
type parsedAnnotations struct {
	tuning   tuning
	problems []problem
	// validated: ValidateInstance has reported the problems, so Expand
	// does not report them again.
	validated bool
	// line is the Kuma release they were read for (which annotations the
	// factory reads depends on it).
	line string
}

// parseAnnotations reads inst's annotations for release rel unless that is
// done already; validation and expansion both need them, and they do not
// change.
func (inst *Instance) parseAnnotations(rel kuma.Release) {
	if inst.annotations == nil || inst.annotations.line != rel.Line {
		t, probs := parseTuning(inst.Annotations, rel)
		inst.annotations = &parsedAnnotations{tuning: t, problems: probs, line: rel.Line}
	}
}

// problem is an annotation that cannot be used, as a finding to be.
type problem struct {
	rule, key, msg string
}

// parseTuning reads the annotations the way Kuma's container factory does,
// collecting every problem instead of stopping at the first, in key order.
func parseTuning(ann map[string]string, rel kuma.Release) (tuning, []problem) {
	var t tuning
	var probs []problem
	bad := func(rule, key, msg string) { probs = append(probs, problem{rule, key, msg}) }

	if v, ok := ann[AnnotationEnvoyAdminPort]; ok {
		if n, err := strconv.ParseUint(v, 10, 32); err != nil || n < 1 || n > 65535 {
			bad(InvalidAnnotation, AnnotationEnvoyAdminPort, "must be a port number from 1 to 65535, not "+strconv.Quote(v)+"; fix it or remove the annotation to use the control plane's admin port")
		} else {
			p := int32(n)
			t.adminPort = &p
		}
	}
	if v, ok := ann[AnnotationDrainTime]; ok {
		if d, err := time.ParseDuration(v); err != nil {
			bad(InvalidAnnotation, AnnotationDrainTime, "must be a duration such as 30s or 1m, not "+strconv.Quote(v))
		} else {
			t.drainTime = &d
		}
	}
	if v, ok := ann[AnnotationEnvVars]; ok {
		if m, msg := parseEnvVars(v); msg != "" {
			bad(InvalidAnnotation, AnnotationEnvVars, msg)
		} else {
			t.envVars = m
		}
	}
	if v, ok := ann[AnnotationConcurrency]; ok {
		if n, err := strconv.ParseUint(v, 10, 32); err != nil {
			bad(InvalidAnnotation, AnnotationConcurrency, "must be a whole number from 0 to "+strconv.Itoa(math.MaxUint32)+" (0 lets Envoy decide), not "+strconv.Quote(v))
		} else {
			c := int64(n)
			t.concurrency = &c
		}
	}
	if v, ok := ann[AnnotationWaitForDataplane]; ok {
		switch v {
		case "true", "yes", "enabled":
			t.waitReady = true
		case "false", "no", "disabled":
		default:
			bad(InvalidAnnotation, AnnotationWaitForDataplane, "must be true, false, yes, no, enabled or disabled, not "+strconv.Quote(v))
		}
	}
	// Before 2.9 the factory does not read this annotation at all.
	if v, ok := ann[AnnotationAppProbeProxyPort]; ok && rel.ProbeProxy {
		if n, err := strconv.ParseUint(v, 10, 32); err != nil {
			bad(InvalidAnnotation, AnnotationAppProbeProxyPort, "must be a whole number (0 turns the probe proxy off), not "+strconv.Quote(v))
		} else {
			p := uint32(n)
			t.appProbeProxyPort = &p
		}
	}
	if v, ok := ann[AnnotationEnvoyLogLevel]; ok {
		t.logLevel = &v
		if !validLogLevel(v) {
			bad(UnknownLogLevel, AnnotationEnvoyLogLevel, "Envoy has no log level "+strconv.Quote(v)+"; use one of "+strings.Join(envoyLogLevels, ", "))
		}
	}
	if v, ok := ann[AnnotationComponentLogLevel]; ok {
		t.componentLogLevel = &v
		if msg := checkComponentLogLevel(v); msg != "" {
			bad(UnknownLogLevel, AnnotationComponentLogLevel, msg)
		}
	}
	slices.SortStableFunc(probs, func(a, b problem) int { return strings.Compare(a.key, b.key) })
	return t, probs
}

// parseEnvVars reads K1=V1;K2=V2 exactly as strictly as Kuma (one "=" per
// pair, no empty pairs), and also refuses empty names, which the API server
// would refuse later.
func parseEnvVars(v string) (map[string]string, string) {
	out := map[string]string{}
	for i, pair := range strings.Split(v, ";") {
		kv := strings.Split(pair, "=")
		if len(kv) != 2 || kv[0] == "" {
			return nil, "pair " + strconv.Itoa(i+1) + " (" + strconv.Quote(pair) + ") is not NAME=VALUE; write the variables as NAME1=VALUE1;NAME2=VALUE2 with no '=' in values and no trailing ';'"
		}
		out[kv[0]] = kv[1]
	}
	return out, ""
}

// envoyLogLevels are the levels Envoy's --log-level accepts.
var envoyLogLevels = []string{"trace", "debug", "info", "warning", "warn", "error", "critical", "off"}

func validLogLevel(v string) bool { return slices.Contains(envoyLogLevels, v) }

// checkComponentLogLevel checks the component:level,component:level form of
// Envoy's --component-log-level.
func checkComponentLogLevel(v string) string {
	for _, part := range strings.Split(v, ",") {
		name, level, ok := strings.Cut(part, ":")
		if !ok || name == "" || !validLogLevel(level) {
			return "entry " + strconv.Quote(part) + " is not component:level; write it like upstream:debug,connection:trace with levels " + strings.Join(envoyLogLevels, ", ")
		}
	}
	return ""
}
