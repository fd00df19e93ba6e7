#pragma once

namespace wsprobe::bench {

// How fast this machine hands out memory touched for the first time, in GB/s: fresh anonymous
// pages (mmap), one byte written per 4 KiB page, so the kernel's page-fault path is what is
// timed, not the memory's bandwidth. A log that keeps its frames pays this rate for every byte
// it retains, and it varies up to sixfold between VMs of the same kind: printed beside the
// ratios so figures from different machines can be compared. Median of `rounds` runs over
// `megabytes` MiB; -1 where mmap is not available.
double firstTouchGBps(int megabytes = 256, int rounds = 3);

} // namespace wsprobe::bench
