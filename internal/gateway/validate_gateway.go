package gateway

import (
	"regexp"
	"strings"

	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
)

// reservedGatewayTags are tags that describe a Dataplane, so a MeshGateway
// may not set them on itself or on a listener.
var reservedGatewayTags = []string{TagExternalService, TagProtocol, TagService, TagZone}

// ValidateGateway applies the checks Kuma's MeshGateway validator makes
// (pkg/core/resources/apis/mesh/gateway_validator.go).
func ValidateGateway(gw *Gateway) finding.List {
	if gw == nil {
		return nil
	}
	r := gatewayReporter(gw)
	if gw.Mesh == "" {
		r.add(MissingMesh, fieldPath("mesh"), "a MeshGateway must name its mesh; add a top-level `mesh: default` (or your mesh's name)")
	}
	validateSelectors(r, gw)
	tagCheck{selector: true, reserved: reservedGatewayTags}.run(r, gw.Spec.Tags, fieldPath("spec", "tags"))
	validateConf(r, gw.Spec.Conf)
	return r.list
}

func validateSelectors(r *reporter, gw *Gateway) {
	p := fieldPath("spec", "selectors")
	if len(gw.Spec.Selectors) == 0 {
		r.add(MissingSelectors, p, "a MeshGateway needs at least one selector; add `selectors: [{match: {kuma.io/service: <name>_<namespace>_svc}}]`")
	}
	crossMesh := false
	if gw.Spec.Conf != nil {
		for _, l := range gw.Spec.Conf.Listeners {
			crossMesh = crossMesh || l.CrossMesh
		}
	}
	for i, sel := range gw.Spec.Selectors {
		mp := p.index(i).key("match")
		if len(sel.Match) == 0 {
			r.add(EmptySelector, mp, "a selector must match at least one tag; add kuma.io/service")
		} else if _, ok := sel.Match[TagService]; !ok {
			r.add(MissingServiceSelector, mp, "a selector must match the tag %q; add it", TagService)
		}
		tagCheck{selector: true}.run(r, sel.Match, mp)
		if i > 0 && crossMesh {
			r.add(TooManySelectors, p.index(i), "a MeshGateway with a crossMesh listener may have only one selector; remove this one")
		}
	}
}

func validateConf(r *reporter, conf *GatewayConf) {
	p := fieldPath("spec", "conf", "listeners")
	if conf == nil || len(conf.Listeners) == 0 {
		r.add(NoListeners, p, "a MeshGateway needs at least one listener; add one with port and protocol")
		return
	}
	for i := range conf.Listeners {
		validateListener(r, &conf.Listeners[i], p.index(i))
	}
	validatePortSharing(r, conf.Listeners, p)
}

func validateListener(r *reporter, l *Listener, p path) {
	if l.Hostname != "" {
		if msg := checkHostname(l.Hostname); msg != "" {
			r.add(InvalidHostname, p.key("hostname"), "%s", msg)
		}
	}
	if l.Port == 0 || l.Port > 65535 {
		r.add(InvalidPort, p.key("port"), "port %d is not in 1..65535; set a valid port", l.Port)
	}
	switch l.Protocol {
	case "", "NONE":
		r.add(MissingProtocol, p.key("protocol"), "a listener needs a protocol; set HTTP, HTTPS, TCP or TLS")
	case ProtocolHTTP, ProtocolTCP, ProtocolTLS:
	case ProtocolHTTPS:
		switch {
		case l.CrossMesh:
			r.add(CrossMeshConflict, p.key("protocol"), "HTTPS is not supported with crossMesh; use HTTP")
		case l.TLS == nil:
			r.add(HTTPSWithoutTLS, p.key("tls"), "an HTTPS listener needs a tls block; add `tls: {mode: TERMINATE, certificates: [...]}`")
		case l.TLS.Mode == TLSPassthrough:
			r.add(TLSPassthroughOnHTTPS, p.key("tls").key("mode"), "PASSTHROUGH is not supported on HTTPS listeners; use TERMINATE, or protocol TLS for passthrough")
		}
	default:
		r.add(InvalidProtocol, p.key("protocol"), "%q is not a protocol; use HTTP, HTTPS, TCP or TLS", l.Protocol)
	}
	if l.TLS != nil {
		validateTLS(r, l, p.key("tls"))
	}
	tagCheck{selector: true, reserved: reservedGatewayTags}.run(r, l.Tags, p.key("tags"))
}

func validateTLS(r *reporter, l *Listener, p path) {
	if l.CrossMesh {
		if l.TLS.Mode != "" || len(l.TLS.Certificates) > 0 {
			r.add(CrossMeshConflict, p, "a crossMesh listener must not configure tls; remove the tls block")
		}
		return
	}
	switch l.TLS.Mode {
	case "", "NONE":
		r.add(InvalidTLS, p.key("mode"), "tls needs a mode; set TERMINATE or PASSTHROUGH")
	case TLSTerminate:
		if n := len(l.TLS.Certificates); n == 0 || n > 2 {
			r.add(InvalidTLS, p.key("certificates"), "TERMINATE needs one or two certificates (RSA and/or ECDSA), not %d", n)
		}
	case TLSPassthrough:
	default:
		r.add(InvalidTLS, p.key("mode"), "%q is not a tls mode; use TERMINATE or PASSTHROUGH", l.TLS.Mode)
	}
	for i, ds := range l.TLS.Certificates {
		n := 0
		for _, v := range []string{ds.Secret, ds.File, ds.Inline, ds.InlineString} {
			if v != "" {
				n++
			}
		}
		if n != 1 {
			r.add(InvalidTLS, p.key("certificates").index(i), "a certificate needs exactly one of secret, file, inline or inlineString, not %d", n)
		}
	}
}

const dnsLabel = `[a-z0-9]([-a-z0-9]*[a-z0-9])?`

var domainName = regexp.MustCompile("^" + dnsLabel + `(\.` + dnsLabel + ")*$")

// checkHostname is Kuma's ValidateHostname: "*", a DNS name, or "*." and one.
func checkHostname(h string) string {
	if h == "*" {
		return ""
	}
	if len(h) > 253 {
		return "a hostname must be at most 253 characters"
	}
	if rest, ok := strings.CutPrefix(h, "*."); ok {
		if !domainName.MatchString(rest) {
			return "invalid wildcard domain " + h + "; write it like *.example.com in lower case"
		}
		return ""
	}
	if !domainName.MatchString(h) {
		return "invalid hostname " + h + "; use a lower-case DNS name, *.domain or *"
	}
	return ""
}
