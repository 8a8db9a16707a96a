// etcd for the sandbox: the upstream etcd server command (etcdmain), at the version Kubernetes v1.37.2 is built
// against, so that grpc and OpenTelemetry stay where Kubernetes wants them.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
