#include "processstats.h"

#include <QFile>

#if defined(Q_OS_UNIX)
#include <sys/resource.h>
#endif

using namespace Qt::StringLiterals;

namespace wsprobe::bench {
namespace {

#if defined(Q_OS_UNIX)
double seconds(const rusage &usage)
{
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

double cpuSeconds(int who)
{
    rusage usage{};
    return getrusage(who, &usage) == 0 ? seconds(usage) : -1;
}
#endif

} // namespace

qint64 residentKiB()
{
    QFile file(u"/proc/self/status"_s);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return -1;
    const QList<QByteArray> lines = file.readAll().split('\n');  // /proc: read it whole
    for (const QByteArray &line : lines) {
        if (line.startsWith("VmRSS:"))  // "VmRSS:   12345 kB"
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

double cpuSecondsSelf()
{
#if defined(Q_OS_UNIX)
    return cpuSeconds(RUSAGE_SELF);
#else
    return -1;
#endif
}

double cpuSecondsChildren()
{
#if defined(Q_OS_UNIX)
    return cpuSeconds(RUSAGE_CHILDREN);
#else
    return -1;
#endif
}

qint64 raiseOpenFileLimit(QString *note)
{
#if defined(Q_OS_UNIX)
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        *note = u"getrlimit(RLIMIT_NOFILE) failed"_s;
        return -1;
    }
    if (limit.rlim_cur < limit.rlim_max) {
        const rlim_t before = limit.rlim_cur;
        limit.rlim_cur = limit.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &limit) != 0) {
            *note = u"setrlimit(RLIMIT_NOFILE) to the hard limit failed"_s;
            return qint64(before);
        }
    }
    return limit.rlim_cur == RLIM_INFINITY ? std::numeric_limits<qint64>::max()
                                           : qint64(limit.rlim_cur);
#else
    *note = u"no open-file limit to raise here"_s;
    return -1;
#endif
}

} // namespace wsprobe::bench
