#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace wsprobe {

// Reads a whole input file (a scenario, an environment, a schema, a file to send) with a size
// cap, and only when it is a regular file: a FIFO, a device such as /dev/zero or a folder would
// block or never end, and a huge file would take the memory of several copies of itself. Every
// file wsprobe reads on a user's word goes through here.
class InputFileReader
{
public:
    static constexpr qint64 DefaultMaxBytes = qint64(64) * 1024 * 1024;

    explicit InputFileReader(qint64 maxBytes = DefaultMaxBytes);

    // The file's bytes, or nullopt with error() saying why (without the path: callers name the
    // file, as JsonError does).
    std::optional<QByteArray> read(const QString &path);
    const QString &error() const { return m_error; }
    // "path: error" for callers that have no JsonError.
    QString errorWithPath(const QString &path) const;

    qint64 maxBytes() const { return m_maxBytes; }

    // "64 MiB", "1.5 GiB", "900 bytes".
    static QString formatSize(qint64 bytes);

private:
    bool fail(const QString &message);
    bool tooLarge(qint64 size);

    qint64 m_maxBytes;
    QString m_error;
};

} // namespace wsprobe
