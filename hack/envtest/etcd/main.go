// Command etcd is etcd's own server entry point, built at the version that
// kube-apiserver v1.37.2's client expects, so tests need no system etcd.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
