// InputFileReader: every file wsprobe reads on a user's word (scenarios, environments, schemas,
// files to send) is a regular file under a size cap, and anything else is refused at once with
// a message that says what the file is.

#include "inputfilereader.h"
#include "locatedjson.h"
#include "variablefile.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>  // mkfifo: wsprobe is built for Debian

using namespace Qt::StringLiterals;
using namespace wsprobe;

class TestInputFileReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsARegularFile();
    void readsAFileExactlyAtTheCap();
    void refusesAFileOverTheCap();
    void refusesAFolder();
    void refusesAMissingFile();
    void refusesAFifoWithoutWaitingForAWriter();
    void refusesAnEndlessDevice();
    void formatsSizes();
    void environmentFileFromDevZeroIsRefused();
    void scenarioSizedFileIsRefusedByTheJsonReader();
};

void TestInputFileReader::readsARegularFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"a.json"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\"a\": 1}");
    file.close();
    InputFileReader reader;
    const std::optional<QByteArray> data = reader.read(path);
    QVERIFY2(data, qPrintable(reader.error()));
    QCOMPARE(*data, QByteArray("{\"a\": 1}"));
    QVERIFY(reader.error().isEmpty());
}

void TestInputFileReader::readsAFileExactlyAtTheCap()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"ten.txt"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("0123456789");
    file.close();
    InputFileReader reader(10);
    const std::optional<QByteArray> data = reader.read(path);
    QVERIFY2(data, qPrintable(reader.error()));
    QCOMPARE(data->size(), 10);
}

void TestInputFileReader::refusesAFileOverTheCap()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"huge.json"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    // Sparse: a file one byte over the default cap costs no disk and no time to make.
    QVERIFY(file.resize(InputFileReader::DefaultMaxBytes + 1));
    file.close();
    InputFileReader reader;
    QVERIFY(!reader.read(path));
    QCOMPARE(reader.error(),
             u"the file is 64.0 MiB (67108865 bytes), more than the 64 MiB wsprobe reads from one file"_s);
    QCOMPARE(reader.errorWithPath(path), path + u": "_s + reader.error());

    InputFileReader small(10);
    QVERIFY(!small.read(path));
    QVERIFY2(small.error().endsWith(u"more than the 10 bytes wsprobe reads from one file"_s),
             qPrintable(small.error()));
}

void TestInputFileReader::refusesAFolder()
{
    QTemporaryDir dir;
    InputFileReader reader;
    QVERIFY(!reader.read(dir.path()));
    QCOMPARE(reader.error(), u"cannot read it: it is a folder, not a file"_s);
}

void TestInputFileReader::refusesAMissingFile()
{
    QTemporaryDir dir;
    InputFileReader reader;
    QVERIFY(!reader.read(dir.filePath(u"none.json"_s)));
    QVERIFY2(reader.error().startsWith(u"cannot open the file: "_s), qPrintable(reader.error()));
}

void TestInputFileReader::refusesAFifoWithoutWaitingForAWriter()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"pipe.json"_s);
    QCOMPARE(::mkfifo(QFile::encodeName(path).constData(), 0600), 0);
    QElapsedTimer timer;
    timer.start();
    InputFileReader reader;
    QVERIFY(!reader.read(path));  // a plain open() would wait here for a writer, for ever
    QCOMPARE(reader.error(), u"cannot read it: it is a named pipe (FIFO), not a regular file"_s);
    QVERIFY(timer.elapsed() < 5000);
}

void TestInputFileReader::refusesAnEndlessDevice()
{
    InputFileReader reader;
    QVERIFY(!reader.read(u"/dev/zero"_s));
    QCOMPARE(reader.error(), u"cannot read it: it is a device, not a regular file"_s);
}

void TestInputFileReader::formatsSizes()
{
    QCOMPARE(InputFileReader::formatSize(1), u"1 byte"_s);
    QCOMPARE(InputFileReader::formatSize(900), u"900 bytes"_s);
    QCOMPARE(InputFileReader::formatSize(1536), u"1.5 KiB"_s);
    QCOMPARE(InputFileReader::formatSize(qint64(64) * 1024 * 1024), u"64 MiB"_s);
    QCOMPARE(InputFileReader::formatSize(qint64(200) * 1024 * 1024 + 1), u"200.0 MiB"_s);
    QCOMPARE(InputFileReader::formatSize(qint64(10) * 1024 * 1024 * 1024), u"10 GiB"_s);
}

// wsprobe-run --env /dev/zero read until the memory ran out.
void TestInputFileReader::environmentFileFromDevZeroIsRefused()
{
    Variables variables;
    QList<JsonError> errors;
    QVERIFY(!VariableFile::load(u"/dev/zero"_s, Variables::Layer::EnvironmentFile,
                                Variables::Secrecy::ByName, &variables, &errors));
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.at(0).toString(),
             u"/dev/zero: cannot read it: it is a device, not a regular file"_s);
}

void TestInputFileReader::scenarioSizedFileIsRefusedByTheJsonReader()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"big.json"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QVERIFY(file.resize(qint64(200) * 1024 * 1024));
    file.close();
    JsonError error;
    QVERIFY(!LocatedJson::parseFile(path, &error));
    QCOMPARE(error.toString(), path + u": the file is 200 MiB (209715200 bytes), more than the 64 "
                                      u"MiB wsprobe reads "
                                      u"from one file"_s);
}

QTEST_GUILESS_MAIN(TestInputFileReader)
#include "tst_inputfilereader.moc"
