// Floor of bench-startup: an empty program, compiled as hydractl is. What starting Bun costs,
// and the size of a bare `bun build --compile`.
