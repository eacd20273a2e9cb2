//go:build linux

package program

import (
	"encoding/binary"
	"errors"
	"os"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// sysProcAttr puts the program in a process group of its own, so that
// stopping it reaches every process it started, and kills it if netrun
// itself dies without stopping it.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// pPID is waitid's P_PID.
const pPID = 1

// Values of siginfo's si_code for a child that ended.
const (
	cldExited = 1
	cldKilled = 2
	cldDumped = 3
)

// waitExit blocks until the process pid has ended and says how, WITHOUT
// reaping it (WNOWAIT): while it stays a zombie, its PID, which is also
// its process group's ID, cannot be given to another process, so that
// signalling the group later never reaches a stranger.
func waitExit(pid int) (exitInfo, error) {
	var info [128]byte
	for {
		_, _, e := syscall.Syscall6(syscall.SYS_WAITID, pPID, uintptr(pid),
			uintptr(unsafe.Pointer(&info[0])), syscall.WEXITED|syscall.WNOWAIT, 0, 0)
		if e == syscall.EINTR {
			continue
		}
		if e != 0 {
			return exitInfo{}, e
		}
		break
	}
	// siginfo_t: si_signo, si_errno, si_code (int32 each), then the union,
	// aligned to a pointer: si_pid, si_uid, si_status.
	union := 12
	if unsafe.Sizeof(uintptr(0)) == 8 {
		union = 16
	}
	code := int32(binary.NativeEndian.Uint32(info[8:]))
	status := int(int32(binary.NativeEndian.Uint32(info[union+8:])))
	switch code {
	case cldExited:
		return exitInfo{code: status}, nil
	case cldKilled, cldDumped:
		return exitInfo{code: -1, signal: syscall.Signal(status)}, nil
	}
	return exitInfo{}, errors.New("waitid: unexpected si_code")
}

// prSetChildSubreaper is prctl's PR_SET_CHILD_SUBREAPER.
const prSetChildSubreaper = 36

// adoptOrphans makes netrun the parent of the processes that a program
// leaves behind when it ends (instead of init), so that stopping the
// program can reap them at once: init may take its time, and until then
// they still count as members of the program's group. It is the same
// setting for the whole netrun process, set again on each spawn.
func adoptOrphans() {
	_, _, _ = syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0)
}

// reapGroup reaps the ended processes of the group pgid that are netrun's
// children (adopted orphans); the group's leader is reaped before, by
// exec.Cmd.Wait.
func reapGroup(pgid int) {
	for {
		var ws syscall.WaitStatus
		pid, err := syscall.Wait4(-pgid, &ws, syscall.WNOHANG, nil)
		if err == syscall.EINTR {
			continue
		}
		if pid <= 0 || err != nil {
			return
		}
	}
}

// setPipeSize asks for a pipe of size bytes, or a quarter of that, and
// so on down to 64 KiB (the usual size): a larger pipe lets a stream that
// is only discarded be read in fewer, larger chunks. A refusal (a limit
// on the user's pipes) leaves the pipe as it was.
func setPipeSize(f *os.File, size int) {
	rc, err := f.SyscallConn()
	if err != nil {
		return
	}
	_ = rc.Control(func(fd uintptr) {
		for s := size; s > 64<<10; s /= 4 {
			if _, err := unix.FcntlInt(fd, unix.F_SETPIPE_SZ, s); err == nil {
				return
			}
		}
	})
}
