// wsprobe-run's load mode as CI meets it: the summary table on stdout, the exit code as the
// number of failed thresholds, one JUnit testcase per threshold, the file's load block with the
// command line winning, and a bad threshold refused with where it is.
#include <QTemporaryDir>
#include <QTest>

#include "wsprobeprogram.h"

using namespace Qt::StringLiterals;

namespace {

using wsprobe::testing::ProgramRun;
using wsprobe::testing::readTextFile;
using wsprobe::testing::runWsprobeRun;
using wsprobe::testing::writeTextFile;

const QString Scenario = uR"({
  "wsprobe": 1,
  "name": "echo load",
  "clients": { "alice": { "url": "{{demoUrl}}/echo?user={{__user}}" } },
  "steps": [
    { "connect": "alice" },
    { "send": "alice", "text": "hello {{name}}" },
    { "expect": "alice", "match": { "text": "hello {{name}}" } },
    { "close": "alice" }
  ],
  "load": { "users": 2, "duration": "1s", "data": "users.csv",
            "thresholds": ["p95 < 2000", "errors<1%",
                           "p95 <= 0.5 lightyears"] }
})"_s;

} // namespace

class tst_LoadCommand : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void thresholdsDriveTheExitCodeAndTheReport();
    void loadBlockWithTheCommandLineWinning();
    void badThresholdSaysWhere();
    void exportReadsTheLoadBlock();

private:
    QTemporaryDir m_dir;
};

void tst_LoadCommand::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(writeTextFile(m_dir.filePath(u"load.json"_s), Scenario));
    QVERIFY(writeTextFile(m_dir.filePath(u"users.csv"_s), u"name\nada\ngrace\n"_s));
}

void tst_LoadCommand::thresholdsDriveTheExitCodeAndTheReport()
{
    const QString report = m_dir.filePath(u"report.xml"_s);
    const ProgramRun run = runWsprobeRun({u"--with-demo"_s, u"load.json"_s, u"--users"_s, u"5"_s, u"--ramp"_s,
                                u"500ms"_s, u"--duration"_s, u"1s"_s, u"--threshold"_s, u"p95<2000"_s,
                                u"--threshold"_s, u"iterations<1"_s, u"-o"_s, report + u",junitxml"_s},
                               m_dir.path());
    QCOMPARE(run.exitCode, 1);  // one threshold failed
    QVERIFY2(run.out.contains(u"✓ p95<2000 ("_s), qPrintable(run.out));
    QVERIFY2(run.out.contains(u"✗ iterations<1 ("_s), qPrintable(run.out));
    QVERIFY2(run.out.contains(u"5 users, ramp-up 500ms, duration 1s"_s), qPrintable(run.out));
    QVERIFY2(run.out.contains(u"p99="_s) && run.out.contains(u"0 failed)"_s), qPrintable(run.out));
    const QString xml = readTextFile(report);
    QVERIFY2(xml.contains(u"<testcase name=\"threshold(p95&lt;2000)\""_s), qPrintable(xml));
    QVERIFY2(xml.contains(u"<testcase name=\"threshold(iterations&lt;1)\""_s), qPrintable(xml));
    QVERIFY2(xml.contains(u"failures=\"1\""_s), qPrintable(xml));

    const ProgramRun passing = runWsprobeRun({u"--with-demo"_s, u"load.json"_s, u"--users"_s, u"2"_s, u"--duration"_s,
                                    u"500ms"_s, u"--threshold"_s, u"errors==0"_s}, m_dir.path());
    QCOMPARE(passing.exitCode, 0);
    QVERIFY2(passing.out.contains(u"✓ errors==0 (0)"_s), qPrintable(passing.out));
}

void tst_LoadCommand::loadBlockWithTheCommandLineWinning()
{
    // --iterations replaces one field; the file's data file and users stay. The file's third
    // threshold is bad, so thresholds come from the command line.
    const ProgramRun run = runWsprobeRun({u"--with-demo"_s, u"--load"_s, u"load.json"_s, u"--iterations"_s, u"3"_s,
                                u"--threshold"_s, u"iterations==6"_s},
                               m_dir.path());
    QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
    QVERIFY2(run.out.contains(u"2 users, duration 1s, 3 iterations each"_s), qPrintable(run.out));
    QVERIFY2(run.out.contains(u"(6 passed, 0 failed)"_s), qPrintable(run.out));
}

void tst_LoadCommand::badThresholdSaysWhere()
{
    // The file's: file:line:column of the character.
    const ProgramRun fromFile = runWsprobeRun({u"--with-demo"_s, u"--load"_s, u"load.json"_s}, m_dir.path());
    QCOMPARE(fromFile.exitCode, 2);
    QVERIFY2(fromFile.err.contains(u"load.json:13:40: bad threshold \"p95 <= 0.5 lightyears\": unknown unit \"lightyears\""_s),
             qPrintable(fromFile.err));
    QVERIFY(fromFile.out.isEmpty());  // nothing ran

    const ProgramRun fromCommandLine = runWsprobeRun({u"--with-demo"_s, u"load.json"_s, u"--threshold"_s, u"p95 < fast"_s},
                                           m_dir.path());
    QCOMPARE(fromCommandLine.exitCode, 2);
    QVERIFY2(fromCommandLine.err.contains(u"bad threshold \"p95 < fast\" (at character 7): expected a number after \"<\""_s),
             qPrintable(fromCommandLine.err));

    const ProgramRun badOption = runWsprobeRun({u"load.json"_s, u"--ramp"_s, u"soon"_s}, m_dir.path());
    QCOMPARE(badOption.exitCode, 2);
    QVERIFY2(badOption.err.contains(u"--ramp needs a duration such as 10s"_s), qPrintable(badOption.err));
}

void tst_LoadCommand::exportReadsTheLoadBlock()
{
    // The file's users and duration, unless the command line gives them.
    const ProgramRun fromFile = runWsprobeRun({u"--export"_s, u"k6"_s, u"load.json"_s}, m_dir.path());
    QCOMPARE(fromFile.exitCode, 0);
    QVERIFY2(fromFile.out.contains(u"vus: 2,"_s) && fromFile.out.contains(u"duration: \"1s\""_s), qPrintable(fromFile.out));
    const ProgramRun overridden = runWsprobeRun({u"--export"_s, u"k6"_s, u"load.json"_s, u"--users"_s, u"9"_s}, m_dir.path());
    QCOMPARE(overridden.exitCode, 0);
    QVERIFY2(overridden.out.contains(u"vus: 9,"_s) && overridden.out.contains(u"duration: \"1s\""_s), qPrintable(overridden.out));
}

QTEST_GUILESS_MAIN(tst_LoadCommand)
#include "tst_loadcommand.moc"
