// Command doctorproxy answers, for the doctor's tests, which proxy Go's net/http would use:
// it reads HTTP_PROXY, HTTPS_PROXY and NO_PROXY from its environment (as the go command does)
// and prints the proxy URL for each URL argument, or "none".
package main

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
)

func main() {
	for _, arg := range os.Args[1:] {
		u, err := url.Parse(arg)
		if err != nil {
			fmt.Println("error")
			continue
		}
		p, err := http.ProxyFromEnvironment(&http.Request{URL: u})
		switch {
		case err != nil:
			fmt.Println("error")
		case p == nil:
			fmt.Println("none")
		default:
			fmt.Println(p.String())
		}
	}
}
