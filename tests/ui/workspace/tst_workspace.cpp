// The sidebar: a workspace folder's scenarios, its environments, and the recent connections.
#include "environmenteditor.h"
#include "environmentsmodel.h"
#include "environmentvariablesmodel.h"
#include "historymodel.h"
#include "secretmasker.h"
#include "session.h"
#include "workspacemodel.h"
#include "workspacepanel.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QListView>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QTreeView>

#ifdef Q_OS_UNIX
#include <sys/stat.h>
#endif

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

QString screenshotPath(const QString &name)
{
    const QString dir = QStringLiteral(WSPROBE_BINARY_DIR) + u"/screenshots"_s;
    QDir().mkpath(dir);
    return dir + u'/' + name;
}

bool writeFile(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QByteArray scenarioText(const QByteArray &name)
{
    return R"({
  "wsprobe": 1,
  "name": ")" + name + R"(",
  "clients": { "alice": { "url": "{{baseUrl}}/echo" } },
  "steps": [ { "connect": "alice" }, { "close": "alice" } ]
}
)";
}

// The texts of the name column, depth first, folders as "name/".
QStringList treeNames(const QAbstractItemModel *model, const QModelIndex &parent = {})
{
    QStringList names;
    for (int row = 0; row < model->rowCount(parent); ++row) {
        const QModelIndex index = model->index(row, WorkspaceModel::NameColumn, parent);
        if (index.data(WorkspaceModel::IsFolderRole).toBool()) {
            names.append(index.data().toString() + u'/');
            for (const QString &child : treeNames(model, index))
                names.append(u"  "_s + child);
        } else {
            names.append(index.data().toString());
        }
    }
    return names;
}

HistoryEntry entry(const QString &url, const QDateTime &when, const QString &outcome = {})
{
    return HistoryEntry{QUrl(url), when, outcome};
}

} // namespace

class TestWorkspace : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void panelListsScenariosWithTheirNames();
    void panelEmitsScenarioActivated();
    void treeFollowsTheFolder();
    void scanSurvivesBadFiles();
    void historyIsMostRecentFirstAndCapped();
    void historyNeverHoldsSecrets();
    void historyRoundTripsThroughSettingsValues();
    void historyEmitsUrlActivated();
    void environmentEditorLoadEditSave();
    void environmentEditorRefusesInvalidNames();
    void environmentEditorCreatesAFile();
    void panelScreenshot();

private:
    // a.json "Alpha", sub/b.json "Beta", broken.json, local.env.json, _fragment.json.
    void makeWorkspace(const QTemporaryDir &dir);
};

void TestWorkspace::makeWorkspace(const QTemporaryDir &dir)
{
    QVERIFY(writeFile(dir.filePath(u"a.json"_s), scenarioText("Alpha: echo")));
    QVERIFY(writeFile(dir.filePath(u"sub/b.json"_s), scenarioText("Beta: in a folder")));
    QVERIFY(writeFile(dir.filePath(u"broken.json"_s), "{ \"wsprobe\": 1, \"nmae\": \"x\" }\n"));
    QVERIFY(writeFile(dir.filePath(u"local.env.json"_s),
                      "{\n  \"baseUrl\": \"ws://127.0.0.1:8765\",\n  \"api_token\": \"s3cr3t-value\"\n}\n"));
    QVERIFY(writeFile(dir.filePath(u"_fragment.json"_s), "{}"));
}

void TestWorkspace::panelListsScenariosWithTheirNames()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    makeWorkspace(dir);
    WorkspacePanel panel;
    panel.setWorkspace(dir.path());

    auto *tree = panel.findChild<QTreeView *>(u"workspaceTree"_s);
    QVERIFY(tree);
    const WorkspaceModel *model = panel.scenarioModel();
    QCOMPARE(tree->model(), model);
    // Folders first; files by name; the environment file and the fragment are not scenarios.
    QCOMPARE(treeNames(model), (QStringList{u"sub/"_s, u"  Beta: in a folder"_s, u"Alpha: echo"_s,
                                            u"broken.json"_s}));
    QCOMPARE(model->scenarioCount(), 2);
    QCOMPARE(model->brokenCount(), 1);

    const QModelIndex alpha = model->indexOf(dir.filePath(u"a.json"_s));
    QVERIFY(alpha.isValid());
    QCOMPARE(alpha.data(WorkspaceModel::ScenarioNameRole).toString(), u"Alpha: echo"_s);
    QCOMPARE(alpha.siblingAtColumn(WorkspaceModel::FileColumn).data().toString(), u"a.json"_s);
    QVERIFY(alpha.data(WorkspaceModel::ErrorRole).toString().isEmpty());

    const QModelIndex broken = model->indexOf(dir.filePath(u"broken.json"_s));
    QVERIFY(broken.isValid());
    const QString error = broken.data(WorkspaceModel::ErrorRole).toString();
    QVERIFY2(error.contains(u"broken.json:1:"_s), qPrintable(error));
    QVERIFY2(error.contains(u"nmae"_s), qPrintable(error));
    QCOMPARE(broken.data(Qt::ToolTipRole).toString(), error);
    QVERIFY(!broken.data(Qt::DecorationRole).value<QIcon>().isNull());
    QVERIFY(broken.data(Qt::DecorationRole).value<QIcon>().cacheKey()
            != alpha.data(Qt::DecorationRole).value<QIcon>().cacheKey());

    // The folder opens expanded, so every scenario is in sight.
    QVERIFY(tree->isExpanded(model->indexOf(dir.filePath(u"sub"_s))));
    QVERIFY(!model->indexOf(dir.filePath(u"local.env.json"_s)).isValid());
}

// A "$ref" loop in a schema crashed the window as it scanned the folder (a stack overflow), a
// FIFO made it wait for a writer for ever, and a huge file took its memory: each bad file is now
// listed with its error, and the good ones as usual.
void TestWorkspace::scanSurvivesBadFiles()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(writeFile(dir.filePath(u"good.json"_s), scenarioText("Good: echo")));
    const QByteArray withSchema = R"({
  "wsprobe": 1, "name": "NAME",
  "clients": { "alice": { "url": "ws://127.0.0.1:1/" } },
  "steps": [ { "expect": "alice", "match": { "schema": SCHEMA } } ]
}
)";
    QVERIFY(writeFile(dir.filePath(u"loop.json"_s),
                      QByteArray(withSchema).replace("NAME", "loop").replace("SCHEMA", R"({"$ref": "#"})")));
    QVERIFY(writeFile(dir.filePath(u"files.json"_s),
                      QByteArray(withSchema).replace("NAME", "files").replace("SCHEMA", R"({"$ref": "a.schema.json"})")));
    QVERIFY(writeFile(dir.filePath(u"a.schema.json"_s), R"({"$ref": "b.schema.json"})"));
    QVERIFY(writeFile(dir.filePath(u"b.schema.json"_s), R"({"$ref": "a.schema.json"})"));
    QFile huge(dir.filePath(u"huge.json"_s));
    QVERIFY(huge.open(QIODevice::WriteOnly));
    QVERIFY(huge.resize(qint64(200) * 1024 * 1024));  // sparse: no disk, no time
    huge.close();
#ifdef Q_OS_UNIX
    QCOMPARE(::mkfifo(QFile::encodeName(dir.filePath(u"fifo.json"_s)).constData(), 0600), 0);
#endif

    WorkspacePanel panel;
    panel.show();
    panel.setWorkspace(dir.path());
    const WorkspaceModel *model = panel.scenarioModel();
    QStringList expected = {u"files.json"_s, u"Good: echo"_s, u"huge.json"_s, u"loop.json"_s};
#ifdef Q_OS_UNIX
    expected.prepend(u"fifo.json"_s);
#endif
    // The schemas the scenarios refer to are not scenarios, and are not listed.
    QCOMPARE(treeNames(model), expected);
    QCOMPARE(model->scenarioCount(), 1);
    QCOMPARE(model->brokenCount(), int(expected.size()) - 1);

    const auto errorOf = [&](const QString &name) {
        return model->indexOf(dir.filePath(name)).data(WorkspaceModel::ErrorRole).toString();
    };
    QVERIFY(errorOf(u"good.json"_s).isEmpty());
    QVERIFY2(errorOf(u"loop.json"_s).contains(u"loop.json:4:65: invalid matcher: /schema/$ref: invalid "
                                              "schema: \"$ref\" loop: # → #"_s),
             qPrintable(errorOf(u"loop.json"_s)));
    QVERIFY2(errorOf(u"files.json"_s).contains(u"\"$ref\" loop: a.schema.json# → b.schema.json# → "
                                               "a.schema.json#"_s),
             qPrintable(errorOf(u"files.json"_s)));
    QCOMPARE(errorOf(u"huge.json"_s),
             dir.filePath(u"huge.json"_s) + u": the file is 200 MiB (209715200 bytes), more than "
                                            "the 64 MiB wsprobe reads from one file"_s);
#ifdef Q_OS_UNIX
    QCOMPARE(errorOf(u"fifo.json"_s), dir.filePath(u"fifo.json"_s)
                                          + u": cannot read it: it is a named pipe (FIFO), not a "
                                            "regular file"_s);
#endif

    // An environment of the same size is refused when it is opened, the same way.
    QVERIFY(QFile::rename(dir.filePath(u"huge.json"_s), dir.filePath(u"huge.env.json"_s)));
    EnvironmentVariablesModel environment;
    QString error;
    QVERIFY(!environment.load(dir.filePath(u"huge.env.json"_s), &error));
    QCOMPARE(error, dir.filePath(u"huge.env.json"_s)
                        + u": the file is 200 MiB (209715200 bytes), more than the 64 MiB wsprobe "
                          "reads from one file"_s);
}

void TestWorkspace::panelEmitsScenarioActivated()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    makeWorkspace(dir);
    WorkspacePanel panel;
    panel.resize(320, 700);
    panel.setWorkspace(dir.path());
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    auto *tree = panel.findChild<QTreeView *>(u"workspaceTree"_s);
    const WorkspaceModel *model = panel.scenarioModel();
    QSignalSpy activated(&panel, &WorkspacePanel::scenarioActivated);

    const QModelIndex alpha = model->indexOf(dir.filePath(u"a.json"_s));
    const QPoint alphaPoint = tree->visualRect(alpha).center();
    QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, alphaPoint);
    QTest::mouseDClick(tree->viewport(), Qt::LeftButton, {}, alphaPoint);
    QCOMPARE(activated.count(), 1);
    QCOMPARE(activated[0][0].toString(), dir.filePath(u"a.json"_s));

    const QModelIndex beta = model->indexOf(dir.filePath(u"sub/b.json"_s));
    tree->setFocus();
    tree->setCurrentIndex(beta);
    QTest::keyClick(tree, Qt::Key_Return);
    QCOMPARE(activated.count(), 2);
    QCOMPARE(activated[1][0].toString(), dir.filePath(u"sub/b.json"_s));

    // A folder only opens and closes.
    tree->setCurrentIndex(model->indexOf(dir.filePath(u"sub"_s)));
    QTest::keyClick(tree, Qt::Key_Return);
    QCOMPARE(activated.count(), 2);
}

void TestWorkspace::treeFollowsTheFolder()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    makeWorkspace(dir);
    WorkspacePanel panel;
    panel.setWorkspace(dir.path());
    const WorkspaceModel *model = panel.scenarioModel();
    QCOMPARE(model->scenarioCount(), 2);
    auto *tree = panel.findChild<QTreeView *>(u"workspaceTree"_s);
    tree->collapse(model->indexOf(dir.filePath(u"sub"_s)));
    tree->setCurrentIndex(model->indexOf(dir.filePath(u"a.json"_s)));

    QVERIFY(writeFile(dir.filePath(u"c.json"_s), scenarioText("Gamma: added later")));
    QTRY_VERIFY_WITH_TIMEOUT(model->indexOf(dir.filePath(u"c.json"_s)).isValid(), 5000);
    QCOMPARE(model->indexOf(dir.filePath(u"c.json"_s)).data().toString(), u"Gamma: added later"_s);
    // The rebuilt tree keeps what the user had: the closed folder, the chosen file.
    QVERIFY(!tree->isExpanded(model->indexOf(dir.filePath(u"sub"_s))));
    QCOMPARE(tree->currentIndex().data(WorkspaceModel::FilePathRole).toString(), dir.filePath(u"a.json"_s));

    // An edit that breaks a file shows at once.
    QVERIFY(writeFile(dir.filePath(u"c.json"_s), "{ \"wsprobe\": 1,"));
    QTRY_VERIFY_WITH_TIMEOUT(!model->indexOf(dir.filePath(u"c.json"_s)).data(WorkspaceModel::ErrorRole).toString().isEmpty(), 5000);

    // A new environment file reaches the picker too.
    QVERIFY(writeFile(dir.filePath(u"ci.env.json"_s), "{}"));
    QTRY_COMPARE_WITH_TIMEOUT(panel.environmentEditor()->environmentsModel()->rowCount(), 3, 5000);
}

void TestWorkspace::historyIsMostRecentFirstAndCapped()
{
    HistoryModel model;
    const QDateTime start(QDate(2024, 5, 1), QTime(12, 0), Qt::UTC);
    model.addEntry(QUrl(u"ws://one.example/"_s), start, u"1000 Normal Closure"_s);
    model.addEntry(QUrl(u"ws://two.example/"_s), start.addSecs(60), u"4001 application code"_s);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0).data().toString(), u"ws://two.example/"_s);
    QCOMPARE(model.index(0).data(HistoryModel::OutcomeRole).toString(), u"4001 application code"_s);
    QVERIFY(model.index(0).data(HistoryModel::DetailRole).toString().endsWith(u"4001 application code"_s));
    QCOMPARE(model.index(1).data().toString(), u"ws://one.example/"_s);

    // setEntries sorts whatever it gets.
    model.setEntries({entry(u"ws://old/"_s, start), entry(u"ws://new/"_s, start.addDays(1)),
                      entry(u"ws://middle/"_s, start.addSecs(5))});
    QCOMPARE(model.entries().at(0).url, QUrl(u"ws://new/"_s));
    QCOMPARE(model.entries().at(1).url, QUrl(u"ws://middle/"_s));
    QCOMPARE(model.entries().at(2).url, QUrl(u"ws://old/"_s));

    // The cap: the oldest fall off, and the rows removed are reported exactly.
    model.clear();
    for (int i = 0; i < HistoryModel::Capacity; ++i)
        model.addEntry(QUrl(u"ws://host/%1"_s.arg(i)), start.addSecs(i));
    QCOMPARE(model.rowCount(), HistoryModel::Capacity);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.addEntry(QUrl(u"ws://host/latest"_s), start.addSecs(1000));
    QCOMPARE(model.rowCount(), HistoryModel::Capacity);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(removed[0][1].toInt(), HistoryModel::Capacity - 1);
    QCOMPARE(removed[0][2].toInt(), HistoryModel::Capacity - 1);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted[0][1].toInt(), 0);
    QCOMPARE(inserted[0][2].toInt(), 0);
    QCOMPARE(model.entries().first().url, QUrl(u"ws://host/latest"_s));
    QCOMPARE(model.entries().last().url, QUrl(u"ws://host/1"_s));  // ws://host/0 fell off

    QList<HistoryEntry> many;
    for (int i = 0; i < 150; ++i)
        many.append(entry(u"ws://host/%1"_s.arg(i), start.addSecs(i)));
    model.setEntries(many);
    QCOMPARE(model.rowCount(), HistoryModel::Capacity);
    QCOMPARE(model.entries().first().url, QUrl(u"ws://host/149"_s));
    QCOMPARE(model.entries().last().url, QUrl(u"ws://host/50"_s));
}

void TestWorkspace::historyNeverHoldsSecrets()
{
    HistoryModel model;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    model.addEntry(QUrl(u"wss://api.example/socket?token=abc123secret&room=lobby"_s), now, u"1000 Normal Closure"_s);
    model.addEntry(QUrl(u"ws://user:hunter2pass@host.example/chat"_s), now);
    model.setEntries(model.entries() << entry(u"ws://h/?access_token=zzz999"_s, now.addSecs(-5)));

    for (const HistoryEntry &e : model.entries()) {
        const QString all = e.url.toString() + u' ' + QString::fromLatin1(e.url.toEncoded());
        QVERIFY2(!all.contains(u"abc123secret"_s), qPrintable(all));
        QVERIFY2(!all.contains(u"hunter2pass"_s), qPrintable(all));
        QVERIFY2(!all.contains(u"zzz999"_s), qPrintable(all));
    }
    const QString first = model.index(1).data().toString();  // the token URL, added first
    QVERIFY2(first.contains(u"token="_s + SecretMasker::Mask.toString()), qPrintable(first));
    QVERIFY2(first.contains(u"room=lobby"_s), qPrintable(first));
    const QVariant stored = HistoryModel::toSettings(model.entries());
    QVERIFY(!QJsonDocument::fromVariant(stored).toJson().contains("abc123secret"));

    CloseInfo close;
    close.code = 4001;
    close.reason = u"x"_s;
    close.openDurationMs = 20;
    QCOMPARE(outcomeText(close), u"4001 application code · x"_s);
    model.addEntry(QUrl(u"ws://h/close?code=4001&reason=x&api_key=k3y-value"_s), now, close);
    QCOMPARE(model.entries().first().outcome, u"4001 application code · x"_s);
    QVERIFY(!model.entries().first().url.toString().contains(u"k3y-value"_s));
}

void TestWorkspace::historyRoundTripsThroughSettingsValues()
{
    const QDateTime when(QDate(2024, 5, 1), QTime(12, 0, 1, 250), Qt::UTC);
    const QList<HistoryEntry> entries{entry(u"ws://b/"_s, when.addSecs(10), u"1006 Abnormal Closure"_s),
                                      entry(u"ws://a/?x=1"_s, when, u"1000 Normal Closure"_s)};
    const QList<HistoryEntry> back = HistoryModel::fromSettings(HistoryModel::toSettings(entries));
    QCOMPARE(back.size(), 2);
    QCOMPARE(back[0].url, entries[0].url);
    QCOMPARE(back[0].when, entries[0].when);
    QCOMPARE(back[0].outcome, entries[0].outcome);
    QCOMPARE(back[1].url, entries[1].url);
    QCOMPARE(back[1].when, entries[1].when);
    // Junk in the settings is skipped, not shown.
    QCOMPARE(HistoryModel::fromSettings(QVariantList{42, QVariantMap{{u"url"_s, QString()}}}).size(), 0);
}

void TestWorkspace::historyEmitsUrlActivated()
{
    WorkspacePanel panel;
    panel.historyModel()->addEntry(QUrl(u"ws://old.example/"_s), QDateTime::currentDateTime().addSecs(-60));
    panel.historyModel()->addEntry(QUrl(u"ws://new.example/echo"_s), QDateTime::currentDateTime());
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    auto *list = panel.findChild<QListView *>(u"historyList"_s);
    QVERIFY(list);
    QSignalSpy activated(&panel, &WorkspacePanel::urlActivated);
    list->setFocus();
    list->setCurrentIndex(list->model()->index(1, 0));
    QTest::keyClick(list, Qt::Key_Return);
    QCOMPARE(activated.count(), 1);
    QCOMPARE(activated[0][0].toUrl(), QUrl(u"ws://old.example/"_s));
    const QPoint first = list->visualRect(list->model()->index(0, 0)).center();
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, first);
    QTest::mouseDClick(list->viewport(), Qt::LeftButton, {}, first);
    QCOMPARE(activated.count(), 2);
    QCOMPARE(activated[1][0].toUrl(), QUrl(u"ws://new.example/echo"_s));
}

void TestWorkspace::environmentEditorLoadEditSave()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    makeWorkspace(dir);
    const QString envPath = dir.filePath(u"local.env.json"_s);

    EnvironmentEditor editor;
    editor.setWorkspace(dir.path());
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
    auto *picker = editor.findChild<QComboBox *>(u"environmentPicker"_s);
    auto *table = editor.findChild<QTableView *>(u"environmentTable"_s);
    QVERIFY(picker && table);
    QCOMPARE(picker->count(), 2);
    QCOMPARE(picker->itemText(0), u"No environment"_s);
    QCOMPARE(picker->itemText(1), u"local"_s);
    QCOMPARE(picker->currentIndex(), 0);
    QVERIFY(!editor.activeVariables().layerOf(u"baseUrl"));

    // The user picks "local" with the keyboard.
    QSignalSpy activeChanged(&editor, &EnvironmentEditor::activeFileChanged);
    picker->setFocus();
    QTest::keyClick(picker, Qt::Key_Down);
    QCOMPARE(activeChanged.count(), 1);
    QCOMPARE(editor.activeFile(), QFileInfo(envPath).absoluteFilePath());

    EnvironmentVariablesModel *model = editor.variablesModel();
    QCOMPARE(table->model(), model);
    QCOMPARE(model->rowCount(), 2);
    QCOMPARE(model->index(0, 0).data().toString(), u"baseUrl"_s);
    QCOMPARE(model->index(0, 1).data().toString(), u"ws://127.0.0.1:8765"_s);
    QCOMPARE(model->index(1, 0).data().toString(), u"api_token"_s);
    // The token is masked, and cannot be edited unseen.
    const QModelIndex token = model->index(1, 1);
    QCOMPARE(token.data().toString(), SecretMasker::Mask.toString());
    QVERIFY(!(model->flags(token) & Qt::ItemIsEditable));
    QVERIFY(!model->setData(token, u"overwritten"_s));
    auto *showSecrets = editor.findChild<QCheckBox *>(u"showSecrets"_s);
    QVERIFY(showSecrets);
    showSecrets->click();
    QCOMPARE(token.data().toString(), u"s3cr3t-value"_s);
    QVERIFY(model->flags(token) & Qt::ItemIsEditable);
    table->grab().save(screenshotPath(u"environmenteditor-shown.png"_s));
    showSecrets->click();
    QCOMPARE(token.data().toString(), SecretMasker::Mask.toString());

    // Edit a value by typing into the table, as a person does.
    const QModelIndex baseUrl = model->index(0, 1);
    table->setFocus();
    table->setCurrentIndex(baseUrl);
    QTest::keyClick(table, Qt::Key_F2);
    auto *cellEditor = table->viewport()->findChild<QLineEdit *>();
    QVERIFY(cellEditor);
    QTest::keyClick(cellEditor, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(cellEditor, u"ws://staging.example"_s);
    QTest::keyClick(cellEditor, Qt::Key_Return);
    // The delegate commits on a queued call.
    QTRY_COMPARE(baseUrl.data().toString(), u"ws://staging.example"_s);
    QVERIFY(editor.isModified());

    // Add a row through the model's API (what the "+" button does).
    const int row = model->addVariable(u"room"_s, u"lobby \"quoted\" ✓"_s);
    QCOMPARE(row, 2);

    // What a run would get: the table as it stands, saved or not, plus the process environment.
    Variables variables = editor.activeVariables();
    QCOMPARE(variables.value(u"baseUrl"), u"ws://staging.example"_s);
    QCOMPARE(variables.value(u"room"), u"lobby \"quoted\" ✓"_s);
    QCOMPARE(variables.layerOf(u"room"), Variables::Layer::EnvironmentFile);
    QVERIFY(variables.isSecret(u"api_token"));
    QVERIFY(!variables.names(Variables::Layer::ProcessEnvironment).isEmpty());

    QSignalSpy changed(&editor, &EnvironmentEditor::variablesChanged);
    auto *saveButton = editor.findChild<QToolButton *>(u"saveEnvironment"_s);
    QVERIFY(saveButton && saveButton->isEnabled());
    saveButton->click();
    QVERIFY(!editor.isModified());
    QVERIFY(changed.count() >= 1);

    // Valid JSON, an object of strings, in the table's order; no temporary file left behind.
    const QByteArray saved = readFile(envPath);
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(saved, &parseError);
    QVERIFY2(parseError.error == QJsonParseError::NoError, qPrintable(parseError.errorString()));
    QVERIFY(document.isObject());
    const QJsonObject object = document.object();
    QCOMPARE(object.size(), 3);
    QCOMPARE(object.value(u"baseUrl"_s).toString(), u"ws://staging.example"_s);
    QCOMPARE(object.value(u"api_token"_s).toString(), u"s3cr3t-value"_s);
    QCOMPARE(object.value(u"room"_s).toString(), u"lobby \"quoted\" ✓"_s);
    QVERIFY(saved.indexOf("baseUrl") < saved.indexOf("api_token"));
    QVERIFY(saved.indexOf("api_token") < saved.indexOf("room"));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 4);

    // Read back by a fresh editor.
    EnvironmentEditor again;
    again.setWorkspace(dir.path());
    QVERIFY(again.setActiveFile(envPath));
    QCOMPARE(again.variablesModel()->variables(), model->variables());
    QVERIFY(!again.isModified());
}

void TestWorkspace::environmentEditorRefusesInvalidNames()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    makeWorkspace(dir);
    const QString envPath = dir.filePath(u"local.env.json"_s);
    const QByteArray before = readFile(envPath);

    EnvironmentEditor editor;
    editor.setWorkspace(dir.path());
    QVERIFY(editor.setActiveFile(envPath));
    EnvironmentVariablesModel *model = editor.variablesModel();
    model->addVariable(u"has space"_s, u"v"_s);
    model->addVariable(u"baseUrl"_s, u"twice"_s);
    QString error;
    QVERIFY(!editor.save(&error));
    QVERIFY2(error.contains(u"\"has space\" is not a valid variable name"_s), qPrintable(error));
    QVERIFY2(error.contains(u"\"baseUrl\" is given twice"_s), qPrintable(error));
    QCOMPARE(readFile(envPath), before);
    QVERIFY(editor.isModified());
    // A run uses the first baseUrl, and leaves the invalid name out.
    QCOMPARE(editor.activeVariables().value(u"baseUrl"), u"ws://127.0.0.1:8765"_s);

    // A file that is not an object of strings is shown as a problem, and never overwritten.
    const QString badPath = dir.filePath(u"bad.env.json"_s);
    QVERIFY(writeFile(badPath, "{ \"port\": 8080 }"));
    editor.refresh();
    QVERIFY(!editor.setActiveFile(badPath));
    QCOMPARE(editor.variablesModel()->rowCount(), 0);
    QVERIFY(!editor.save(&error));
    QVERIFY2(error.contains(u"expected a string"_s), qPrintable(error));
    QCOMPARE(readFile(badPath), QByteArray("{ \"port\": 8080 }"));
    QVERIFY(!editor.findChild<QTableView *>(u"environmentTable"_s)->isEnabled());
}

void TestWorkspace::environmentEditorCreatesAFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    makeWorkspace(dir);
    EnvironmentEditor editor;
    editor.setWorkspace(dir.path());

    QString error;
    const QString path = editor.createEnvironment(u"staging"_s, &error);
    QVERIFY2(!path.isEmpty(), qPrintable(error));
    QCOMPARE(path, QFileInfo(dir.filePath(u"staging.env.json"_s)).absoluteFilePath());
    QCOMPARE(editor.activeFile(), path);
    QCOMPARE(QJsonDocument::fromJson(readFile(path)).object(), QJsonObject());
    auto *picker = editor.findChild<QComboBox *>(u"environmentPicker"_s);
    QCOMPARE(picker->count(), 3);
    QCOMPARE(picker->currentText(), u"staging"_s);

    editor.variablesModel()->addVariable(u"baseUrl"_s, u"ws://staging"_s);
    QVERIFY(editor.save(&error));
    QCOMPARE(QJsonDocument::fromJson(readFile(path)).object().value(u"baseUrl"_s).toString(), u"ws://staging"_s);

    QVERIFY(editor.createEnvironment(u"staging"_s, &error).isEmpty());
    QVERIFY(error.contains(u"already exists"_s));
    QVERIFY(editor.createEnvironment(u"../escape"_s, &error).isEmpty());
    QVERIFY(!QFileInfo::exists(dir.filePath(u"../escape.env.json"_s)));
}

void TestWorkspace::panelScreenshot()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    makeWorkspace(dir);
    WorkspacePanel panel;
    panel.resize(340, 760);
    panel.setWorkspace(dir.path());
    panel.environmentEditor()->setActiveFile(dir.filePath(u"local.env.json"_s));
    const QDateTime now = QDateTime::currentDateTime();
    CloseInfo close;
    close.code = 4001;
    close.reason = u"token expired"_s;
    close.openDurationMs = 1200;
    panel.historyModel()->addEntry(QUrl(u"ws://127.0.0.1:8765/echo"_s), now.addDays(-2), u"1000 Normal Closure"_s);
    panel.historyModel()->addEntry(QUrl(u"wss://api.example.com/socket?token=abc&room=7"_s), now.addSecs(-3600), close);
    panel.historyModel()->addEntry(QUrl(u"ws://127.0.0.1:8765/close?code=4001&reason=x"_s), now, u"4001 application code · x"_s);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    auto *tree = panel.findChild<QTreeView *>(u"workspaceTree"_s);
    tree->setCurrentIndex(panel.scenarioModel()->indexOf(dir.filePath(u"a.json"_s)));
    QVERIFY(panel.grab().save(screenshotPath(u"workspacepanel.png"_s)));
}

QTEST_MAIN(TestWorkspace)
#include "tst_workspace.moc"
