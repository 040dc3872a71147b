// Package gateway is the domain of kubectl-mgi: Kuma's MeshGatewayInstance
// and MeshGateway as typed values, decoded strictly from YAML; Kuma's
// admission rules; mesh resolution and gateway matching; and the expansion of
// an instance into the apps/v1 Deployment and v1 Service that Kuma's
// control plane would build (spec/kuma-gateway-expansion.md, sections 1-6).
//
// Everything here is a pure function of its inputs: no cluster, no clock, no
// terminal. Problems come back as finding.List values, never as panics.
package gateway
