// drainwatch: etcd's own Go naming resolver (go.etcd.io/etcd/clientv3/naming/resolver, as the anchor's
// bin/resolve -watch builds it) with a recording resolver.ClientConn that prints every address list it is handed,
// stamped with CLOCK_MONOTONIC on entry: the clock of the JVM's System.nanoTime(), so the bench compares the stamp
// with its own time of a delete without counting the pipe. Runs until its stdin closes.
//
// Usage: drainwatch ENDPOINT SERVICE
// Output: "mono=NANOS n=COUNT addrs=ADDR ADDR ..." per update.
package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"syscall"
	"unsafe"

	clientv3 "go.etcd.io/etcd/clientv3"
	etcdresolver "go.etcd.io/etcd/clientv3/naming/resolver"
	"go.etcd.io/etcd/pkg/logutil"
	"go.uber.org/zap"
	gresolver "google.golang.org/grpc/resolver"
	"google.golang.org/grpc/serviceconfig"
)

const clockMonotonic = 1

func monotonicNanos() int64 {
	var ts syscall.Timespec
	syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockMonotonic, uintptr(unsafe.Pointer(&ts)), 0)
	return ts.Nano()
}

type recordingCC struct{}

func (recordingCC) UpdateState(s gresolver.State) {
	now := monotonicNanos()
	addrs := make([]string, 0, len(s.Addresses))
	for _, a := range s.Addresses {
		addrs = append(addrs, a.Addr)
	}
	fmt.Printf("mono=%d n=%d addrs=%s\n", now, len(addrs), strings.Join(addrs, " "))
}
func (recordingCC) ReportError(err error)              { fmt.Printf("error %v\n", err) }
func (r recordingCC) NewAddress(a []gresolver.Address) { r.UpdateState(gresolver.State{Addresses: a}) }
func (recordingCC) NewServiceConfig(string)            {}
func (recordingCC) ParseServiceConfig(string) *serviceconfig.ParseResult {
	return &serviceconfig.ParseResult{}
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: drainwatch ENDPOINT SERVICE")
		os.Exit(2)
	}
	logConfig := logutil.DefaultZapLoggerConfig
	logConfig.Level = zap.NewAtomicLevelAt(zap.WarnLevel)
	cli, err := clientv3.New(clientv3.Config{Endpoints: strings.Split(os.Args[1], ","), LogConfig: &logConfig})
	if err != nil {
		fmt.Fprintln(os.Stderr, "etcd client:", err)
		os.Exit(1)
	}
	defer cli.Close()
	builder, err := etcdresolver.NewBuilder(cli)
	if err != nil {
		fmt.Fprintln(os.Stderr, "resolver:", err)
		os.Exit(1)
	}
	r, err := builder.Build(gresolver.Target{Scheme: "etcd", Endpoint: os.Args[2]}, recordingCC{}, gresolver.BuildOptions{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "build:", err)
		os.Exit(1)
	}
	defer r.Close()
	fmt.Println("ready")
	stdin := bufio.NewScanner(os.Stdin)
	for stdin.Scan() {
	}
}
