// Package web holds what the web plugins, http (steps/httpstep) and ws,
// share when they connect: their URLs (scheme://host[:port][/path], the
// default ports 80 and 443), request headers checked at load time, and
// why a response or a WebSocket handshake did not come, in words.
package web
