// Package kustomizetest holds the integration tests of the KRM function
// with the real kustomize binary (v5.8.0, installed by `make tools`): the
// examples under plugins/kustomize and the golden cases under
// testdata/golden are built with kustomize and compared with
// `kubectl mgi render` on the same inputs. It has no code of its own.
package kustomizetest
