#pragma once

#include <QString>
#include <QtGlobal>

namespace wsprobe::bench {

// This process's resident memory now (VmRSS of /proc/self/status), in KiB; -1 where unknown.
qint64 residentKiB();
// CPU time (user + system, getrusage) of this process, and of its children that have ended and
// been waited for.
double cpuSecondsSelf();
double cpuSecondsChildren();

// Raises the soft open-file limit to the hard one. Returns the limit now in force and, in
// *note, what could not be done.
qint64 raiseOpenFileLimit(QString *note);

} // namespace wsprobe::bench
