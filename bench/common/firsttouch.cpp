#include "firsttouch.h"

#include <QElapsedTimer>

#include <algorithm>
#include <vector>

#if defined(Q_OS_UNIX)
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace wsprobe::bench {

double firstTouchGBps(int megabytes, int rounds)
{
#if defined(Q_OS_UNIX)
    const std::size_t bytes = std::size_t(megabytes) * 1024 * 1024;
    const long page = sysconf(_SC_PAGESIZE) > 0 ? sysconf(_SC_PAGESIZE) : 4096;
    std::vector<double> rates;
    for (int round = 0; round < rounds; ++round) {
        void *memory = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (memory == MAP_FAILED)
            return -1;
        auto *bytesAt = static_cast<volatile char *>(memory);
        QElapsedTimer clock;
        clock.start();
        for (std::size_t at = 0; at < bytes; at += std::size_t(page))
            bytesAt[at] = 1;
        const qint64 ns = std::max<qint64>(clock.nsecsElapsed(), 1);
        munmap(memory, bytes);
        rates.push_back(double(bytes) / double(ns));  // bytes per ns = GB/s
    }
    std::sort(rates.begin(), rates.end());
    return rates[rates.size() / 2];
#else
    Q_UNUSED(megabytes)
    Q_UNUSED(rounds)
    return -1;
#endif
}

} // namespace wsprobe::bench
