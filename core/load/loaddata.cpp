#include "loaddata.h"

#include "inputfilereader.h"
#include "variablesyntax.h"

#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace wsprobe {

bool LoadData::load(const QString &path, QString *error)
{
    InputFileReader reader;
    const std::optional<QByteArray> bytes = reader.read(path);
    if (!bytes) {
        if (error)
            *error = reader.errorWithPath(path);
        return false;
    }
    return parse(QString::fromUtf8(*bytes), QFileInfo(path).fileName(), error);
}

bool LoadData::parse(const QString &text, const QString &fileName, QString *error)
{
    m_columns.clear();
    m_rows.clear();
    QList<QStringList> records;
    QList<int> lines;  // where each record starts
    QStringList record;
    QString field;
    bool quoted = false;      // inside a quoted field
    bool wasQuoted = false;   // the field was quoted: only a separator may follow
    int line = 1;
    int recordLine = 1;
    const auto fail = [&](int at, const QString &message) {
        if (error)
            *error = u"%1:%2: %3"_s.arg(fileName).arg(at).arg(message);
        return false;
    };
    const auto endRecord = [&] {
        record.append(field);
        field.clear();
        wasQuoted = false;
        // A blank line is no record.
        if (!(record.size() == 1 && record.first().isEmpty())) {
            records.append(record);
            lines.append(recordLine);
        }
        record.clear();
    };
    qsizetype i = text.startsWith(QChar(0xFEFF)) ? 1 : 0;  // a byte order mark from a spreadsheet
    for (; i < text.size(); ++i) {
        const QChar c = text[i];
        if (quoted) {
            if (c == u'"') {
                if (i + 1 < text.size() && text[i + 1] == u'"') {
                    field += u'"';
                    ++i;
                } else {
                    quoted = false;
                    wasQuoted = true;
                }
            } else {
                if (c == u'\n')
                    ++line;
                field += c;
            }
            continue;
        }
        if (c == u',') {
            record.append(field);
            field.clear();
            wasQuoted = false;
        } else if (c == u'\n' || c == u'\r') {
            if (c == u'\r' && i + 1 < text.size() && text[i + 1] == u'\n')
                ++i;
            endRecord();
            ++line;
            recordLine = line;
        } else if (wasQuoted) {
            return fail(line, u"only a comma or the end of the line may follow a quoted field, found '%1'"_s.arg(c));
        } else if (c == u'"') {
            if (!field.isEmpty())
                return fail(line, u"a quote inside an unquoted field; quote the whole field and double the quote (\"a\"\"b\")"_s);
            quoted = true;
        } else {
            field += c;
        }
    }
    if (quoted)
        return fail(recordLine, u"a quoted field is not closed"_s);
    if (!field.isEmpty() || !record.isEmpty())
        endRecord();
    if (records.isEmpty())
        return fail(1, u"the file is empty; its first line names the variables (user,password)"_s);

    m_columns = records.first();
    for (QString &name : m_columns) {
        name = name.trimmed();
        if (!VariableSyntax::isValidName(name))
            return fail(lines.first(), u"\"%1\" in the header is not a variable name (letters, digits, _ . -, not starting with a digit)"_s.arg(name));
    }
    for (qsizetype r = 1; r < records.size(); ++r) {
        if (records[r].size() != m_columns.size())
            return fail(lines[r], u"%1 values, but the header names %2 columns"_s.arg(records[r].size()).arg(m_columns.size()));
        m_rows.append(records[r]);
    }
    if (m_rows.isEmpty())
        return fail(lines.first(), u"a header but no rows of values"_s);
    return true;
}

QStringList LoadData::row(qint64 index) const
{
    if (m_rows.isEmpty())
        return {};
    return m_rows.at(qsizetype(index % m_rows.size()));
}

} // namespace wsprobe
