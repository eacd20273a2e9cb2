//go:build !linux

package netconn

const quickAckSupported = false

func setQuickAck(uintptr) {}
