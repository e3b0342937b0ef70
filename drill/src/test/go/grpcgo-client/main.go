// A gRPC client on grpc-go, dialled as go-plugin's host dials a plugin (plaintext, blocking dial, no message size
// limits), for the plugin ITs: one connection, unary calls made one after the other. Each line on stdin is a call
// ({"method": "/pkg.Service/Method", "request": base64 or "requestFile": path, "timeoutMs": n}); the request and
// response bytes are protobuf messages the test builds and reads, passed through unchanged. Each answer is a JSON
// line on stdout: {"code": "OK", "message": "...", "response": base64}.
package main

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io/ioutil"
	"math"
	"os"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
)

// raw is a codec that passes the test's protobuf bytes through.
type raw struct{}

func (raw) Marshal(v interface{}) ([]byte, error) { return *(v.(*[]byte)), nil }

func (raw) Unmarshal(data []byte, v interface{}) error {
	*(v.(*[]byte)) = append([]byte(nil), data...)
	return nil
}

func (raw) Name() string { return "proto" }

type call struct {
	Method      string `json:"method"`
	Request     string `json:"request"`
	RequestFile string `json:"requestFile"`
	TimeoutMs   int    `json:"timeoutMs"`
}

type answer struct {
	Code     string `json:"code"`
	Message  string `json:"message"`
	Response string `json:"response"`
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: grpcgo-client HOST:PORT")
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	conn, err := grpc.DialContext(ctx, os.Args[1],
		grpc.WithInsecure(),
		grpc.WithBlock(),
		grpc.FailOnNonTempDialError(true),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(math.MaxInt32)),
		grpc.WithDefaultCallOptions(grpc.MaxCallSendMsgSize(math.MaxInt32)))
	cancel()
	if err != nil {
		fmt.Fprintln(os.Stderr, "dial:", err)
		os.Exit(1)
	}
	defer conn.Close()
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 64*1024), 16*1024*1024)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		var c call
		if err := json.Unmarshal(in.Bytes(), &c); err != nil {
			fmt.Fprintln(os.Stderr, "bad call line:", err)
			os.Exit(2)
		}
		var req []byte
		if c.RequestFile != "" {
			req, err = ioutil.ReadFile(c.RequestFile)
		} else {
			req, err = base64.StdEncoding.DecodeString(c.Request)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "request:", err)
			os.Exit(2)
		}
		var resp []byte
		callCtx, done := context.WithTimeout(context.Background(), time.Duration(c.TimeoutMs)*time.Millisecond)
		err = conn.Invoke(callCtx, c.Method, &req, &resp, grpc.ForceCodec(raw{}))
		done()
		st := status.Convert(err)
		if err := out.Encode(answer{st.Code().String(), st.Message(), base64.StdEncoding.EncodeToString(resp)}); err != nil {
			os.Exit(1)
		}
	}
}
