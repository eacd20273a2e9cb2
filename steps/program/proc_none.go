//go:build !unix

package program

import (
	"errors"
	"os"
	"syscall"
)

// sysProcAttr is nil: spawn is refused before it is used on this system.
func sysProcAttr() *syscall.SysProcAttr { return nil }

func waitExit(int) (exitInfo, error) { return exitInfo{}, errNoWaitid }

func signalGroup(int, syscall.Signal) error { return errUnsupported }

var errUnsupported = errors.New("spawn needs a Unix system (process groups)")

func groupExists(int) bool { return false }

func adoptOrphans() {}

func reapGroup(int) {}

func ownGroup() *syscall.SysProcAttr { return nil }

func setPipeSize(*os.File, int) {}
