#include "inputfilereader.h"

#include <QFile>
#include <QFileInfo>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

// Reads are made in pieces so that a file that grows while it is read still stops at the cap.
constexpr qint64 ChunkBytes = 1024 * 1024;

#ifdef Q_OS_UNIX
QString kindOf(mode_t mode)
{
    if (S_ISDIR(mode))
        return u"a folder, not a file"_s;
    if (S_ISFIFO(mode))
        return u"a named pipe (FIFO), not a regular file"_s;
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return u"a device, not a regular file"_s;
    if (S_ISSOCK(mode))
        return u"a socket, not a regular file"_s;
    return u"not a regular file"_s;
}
#endif

} // namespace

InputFileReader::InputFileReader(qint64 maxBytes) : m_maxBytes(maxBytes) {}

bool InputFileReader::fail(const QString &message)
{
    m_error = message;
    return false;
}

bool InputFileReader::tooLarge(qint64 size)
{
    // The exact count too: one byte over a 64 MiB cap rounds to "64.0 MiB".
    const QString shown = size < 1024 ? formatSize(size)
                                      : u"%1 (%2 bytes)"_s.arg(formatSize(size)).arg(size);
    return fail(u"the file is %1, more than the %2 wsprobe reads from one file"_s.arg(
        shown, formatSize(m_maxBytes)));
}

std::optional<QByteArray> InputFileReader::read(const QString &path)
{
    m_error.clear();
    QFile file;
#ifdef Q_OS_UNIX
    // Opened without blocking and checked on the open descriptor: opening a FIFO would wait for
    // a writer, and a check by name before opening could be fooled by a swap in between.
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        fail(u"cannot open the file: "_s + QString::fromLocal8Bit(strerror(errno)));
        return std::nullopt;
    }
    struct stat status = {};
    if (::fstat(fd, &status) != 0 || !S_ISREG(status.st_mode)) {
        ::close(fd);
        fail(u"cannot read it: it is "_s + kindOf(status.st_mode));
        return std::nullopt;
    }
    if (qint64(status.st_size) > m_maxBytes) {
        ::close(fd);
        tooLarge(qint64(status.st_size));
        return std::nullopt;
    }
    if (!file.open(fd, QIODevice::ReadOnly, QFileDevice::AutoCloseHandle)) {
        ::close(fd);
        fail(u"cannot open the file: "_s + file.errorString());
        return std::nullopt;
    }
#else
    const QFileInfo info(path);
    if (info.exists() && !info.isFile()) {
        fail(info.isDir() ? u"cannot read it: it is a folder, not a file"_s
                          : u"cannot read it: it is not a regular file"_s);
        return std::nullopt;
    }
    if (info.size() > m_maxBytes) {
        tooLarge(info.size());
        return std::nullopt;
    }
    file.setFileName(path);
    if (!file.open(QIODevice::ReadOnly)) {
        fail(u"cannot open the file: "_s + file.errorString());
        return std::nullopt;
    }
#endif
    QByteArray data;
    while (true) {
        const QByteArray chunk = file.read(qMin(ChunkBytes, m_maxBytes + 1 - data.size()));
        if (chunk.isEmpty())
            break;
        data.append(chunk);
        if (data.size() > m_maxBytes) {
            tooLarge(data.size());
            return std::nullopt;
        }
    }
    if (file.error() != QFileDevice::NoError) {
        fail(u"cannot read the file: "_s + file.errorString());
        return std::nullopt;
    }
    return data;
}

QString InputFileReader::errorWithPath(const QString &path) const
{
    return path + u": "_s + m_error;
}

QString InputFileReader::formatSize(qint64 bytes)
{
    constexpr qint64 KiB = 1024;
    constexpr qint64 MiB = KiB * 1024;
    constexpr qint64 GiB = MiB * 1024;
    const auto scaled = [bytes](qint64 unit, QStringView name) {
        // Whole units print without a fraction: "64 MiB", not "64.0 MiB".
        const QString number = bytes % unit == 0 ? QString::number(bytes / unit)
                                                 : QString::number(double(bytes) / double(unit), 'f', 1);
        return number + u' ' + name.toString();
    };
    if (bytes >= GiB)
        return scaled(GiB, u"GiB");
    if (bytes >= MiB)
        return scaled(MiB, u"MiB");
    if (bytes >= KiB)
        return scaled(KiB, u"KiB");
    return bytes == 1 ? u"1 byte"_s : QString::number(bytes) + u" bytes"_s;
}

} // namespace wsprobe
