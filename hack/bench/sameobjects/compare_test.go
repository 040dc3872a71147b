package main

import (
	"strings"
	"testing"
)

const svcA = `apiVersion: v1
kind: Service
metadata:
  name: a
  namespace: x
spec:
  ports:
  - name: "8000"
    port: 8000
`

const depA = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: a
  namespace: x
spec:
  replicas: 1
`

const gateway = `apiVersion: kuma.io/v1alpha1
kind: MeshGateway
metadata:
  name: a
`

func TestCompare(t *testing.T) {
	render := gateway + "---\n" + svcA + "---\n" + depA
	cases := []struct {
		name, helm string
		want       string
		same       bool
	}{
		{"identical in another order, helm comments dropped",
			"---\n# Source: c/templates/d.yaml\n" + depA + "---\n# Source: c/templates/s.yaml\n" + svcA,
			"2 Deployments and Services from render, 2 from helm: 2 byte-identical, 0 equal once parsed, 0 different, 0 only in render, 0 only in helm", true},
		{"keys in another order",
			svcA + "---\n" + strings.Replace(depA, "  name: a\n  namespace: x\n", "  namespace: x\n  name: a\n", 1),
			"1 byte-identical, 1 equal once parsed, 0 different", true},
		{"quoted differently but equal",
			strings.Replace(svcA, `name: "8000"`, `name: '8000'`, 1) + "---\n" + depA,
			"1 byte-identical, 1 equal once parsed, 0 different", true},
		{"a string where render has a number",
			strings.Replace(svcA, "port: 8000", `port: "8000"`, 1) + "---\n" + depA,
			"1 byte-identical, 0 equal once parsed, 1 different", false},
		{"one side only",
			svcA,
			"2 Deployments and Services from render, 1 from helm: 1 byte-identical, 0 equal once parsed, 0 different, 1 only in render, 0 only in helm\nonly in render, first: Deployment/x/a", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := compare([]byte(render), []byte(c.helm))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(r.summary(), c.want) {
				t.Errorf("summary:\n%s\nwant it to contain:\n%s", r.summary(), c.want)
			}
			if r.same() != c.same {
				t.Errorf("same() = %v, want %v", r.same(), c.same)
			}
		})
	}
}

func TestCompareShowsTheFirstDifference(t *testing.T) {
	r, err := compare([]byte(depA), []byte(strings.Replace(depA, "replicas: 1", "replicas: 2", 1)))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"--- render Deployment/x/a", "+++ helm Deployment/x/a", "-  replicas: 1", "+  replicas: 2"} {
		if !strings.Contains(r.first, want) {
			t.Errorf("diff lacks %q:\n%s", want, r.first)
		}
	}
}

func TestCompareRefusesTwiceTheSameObject(t *testing.T) {
	_, err := compare([]byte(svcA+"---\n"+svcA), []byte(svcA))
	if err == nil || !strings.Contains(err.Error(), "render output: document 2: Service/x/a appears twice") {
		t.Fatalf("err = %v", err)
	}
}
