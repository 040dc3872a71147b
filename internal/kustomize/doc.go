// Package kustomize builds a kustomization in-process with kustomize's own
// API (sigs.k8s.io/kustomize/api, the release paired with the kyaml this
// module uses), so that `-k DIR` reads what `kubectl apply -k DIR` would
// apply, and writes objects the way `kustomize build` prints them.
//
// Three things are added to a plain build:
//   - every object is traced back to the file kustomize read it from (its
//     origin annotation, turned on for the build) and gets that file's
//     path, document index and line numbers, so findings point at the base
//     or overlay a person must edit;
//   - kubectl-mgi's own function, listed in the kustomization, is taken out
//     of the build: the caller expands afterwards, with the function's
//     config (and, for plan and apply, the cluster's context);
//   - Write orders and encodes objects with kustomize itself, so that
//     render -k prints byte for byte what kustomize build prints with the
//     function as the last transformer.
package kustomize
