// The request editor: the key/value tables, the settings round trip, secrets masked in the view,
// and the Handshake tab against real servers (in-process QWebSocketServer and the demo server).
#include "demoserver.h"
#include "handshakeview.h"
#include "keyvalueeditor.h"
#include "keyvaluemodel.h"
#include "framelog.h"
#include "requesteditor.h"
#include "secretmasker.h"
#include "session.h"
#include "stringlisteditor.h"
#include "variables.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTcpServer>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

constexpr int Timeout = 10000;

SessionSettings fullyPopulated()
{
    SessionSettings s;
    s.url = QUrl(u"wss://example.org:8443/socket?fixed=1"_s);
    s.query = {{u"room"_s, u"lobby"_s, true}, {u"debug"_s, u"1"_s, false},
               {u"api_key"_s, u"{{apiKey}}"_s, true}, {QString(), u"orphan"_s, true}};
    s.headers = {{u"Authorization"_s, u"Bearer abc.def"_s, true},
                 {u"X-Trace"_s, u"on"_s, false}, {u"X-Tenant"_s, u"acme"_s, true}};
    s.origin = u"https://app.example.org"_s;
    s.subprotocols = {u"graphql-transport-ws"_s, u"mqtt"_s};
    s.connectTimeoutMs = 2345;
    s.tls = {true, u"/etc/ca.pem"_s, u"/home/me/client.pem"_s, u"/home/me/client.key"_s};
    s.proxy = {ProxySettings::Mode::Socks5, u"proxy.local"_s, 1080, u"me"_s, u"pa:ss"_s};
    s.maxIncomingFrameSize = 5'000'000'000;  // beyond a spin box's int
    s.maxIncomingMessageSize = 1 << 20;
    s.autoPingIntervalMs = 15000;
    s.reconnect = {true, 7, 250, 60000, 0.1234, 9000};  // 12.34 %: finer than the spin box
    s.logCapacity = 100000;
    s.correlation = u"/id"_s;
    return s;
}

QString savePath(const QString &name)
{
    const QString dir = qEnvironmentVariable("WSPROBE_SCREENSHOTS");
    if (dir.isEmpty())
        return {};
    QDir().mkpath(dir);
    return dir + u'/' + name;
}

// With WSPROBE_SCREENSHOTS=<dir>, saves what a user would see, to look at.
void grab(QWidget *widget, const QString &name)
{
    const QString path = savePath(name);
    if (path.isEmpty())
        return;
    if (!widget->isVisible()) {
        widget->show();
        QVERIFY(QTest::qWaitForWindowExposed(widget));
    }
    QCoreApplication::processEvents();  // lay out a tab page just made current
    widget->grab().save(path);
}

} // namespace

class TestRequestEditor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void keyValueModelEditing();
    void keyValueEditorTypingAndDeleteKey();
    void variablesExpandInTooltips();
    void settingsRoundTrip();
    void userEditsEmitSettingsChanged();
    void secretHeaderIsMaskedInTheView();
    void mergeAndSplitQuery();
    void handshakeShowsRequestThen101AndSubprotocol();
    void handshakeShowsRejectedStatus();
    void handshakeShowsRefusedConnection();
    void handshakeFollowsReconnectsAndSessionSwitch();

private:
    DemoServer m_demo;
};

void TestRequestEditor::initTestCase()
{
    QVERIFY2(m_demo.listen(), qPrintable(m_demo.errorString()));
}

void TestRequestEditor::keyValueModelEditing()
{
    KeyValueModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy edited(&model, &KeyValueModel::rowsEdited);

    QCOMPARE(model.rowCount(), 1);  // the placeholder
    QVERIFY(model.index(0, 0).data(KeyValueModel::IsPlaceholderRole).toBool());
    QVERIFY(!(model.flags(model.index(0, KeyValueModel::EnabledColumn)) & Qt::ItemIsUserCheckable));
    QVERIFY(!model.setData(model.index(0, KeyValueModel::KeyColumn), QString()));
    QCOMPARE(model.rowCount(), 1);

    // Typing into the placeholder makes a row and a new placeholder.
    QVERIFY(model.setData(model.index(0, KeyValueModel::KeyColumn), u"room"_s));
    QCOMPARE(model.rowCount(), 2);
    QVERIFY(!model.index(0, 0).data(KeyValueModel::IsPlaceholderRole).toBool());
    QVERIFY(model.index(1, 0).data(KeyValueModel::IsPlaceholderRole).toBool());
    QVERIFY(model.setData(model.index(0, KeyValueModel::ValueColumn), u"lobby"_s));
    QVERIFY(model.setData(model.index(1, KeyValueModel::ValueColumn), u"only a value"_s));
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.rows(), (QList<KeyValue>{{u"room"_s, u"lobby"_s, true},
                                            {QString(), u"only a value"_s, true}}));
    QCOMPARE(model.index(0, KeyValueModel::EnabledColumn).data(Qt::CheckStateRole).toInt(),
             int(Qt::Checked));
    QCOMPARE(model.activeCount(), 1);  // no key, not sent

    // Unchecking keeps the row and disables it.
    QVERIFY(model.setData(model.index(0, KeyValueModel::EnabledColumn), Qt::Unchecked,
                          Qt::CheckStateRole));
    QCOMPARE(model.rows().at(0).enabled, false);
    QCOMPARE(model.activeCount(), 0);
    QCOMPARE(model.index(0, KeyValueModel::EnabledColumn).data(Qt::CheckStateRole).toInt(),
             int(Qt::Unchecked));

    model.appendRow({u"c"_s, u"3"_s, true});
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.rows().at(2).key, u"c"_s);

    // Removal: rows only, never the placeholder; non-contiguous rows at once.
    QVERIFY(!model.removeRows(3, 1));
    model.removeRowsAt({2, 0, 3});
    QCOMPARE(model.rows(), (QList<KeyValue>{{QString(), u"only a value"_s, true}}));
    QCOMPARE(model.rowCount(), 2);
    model.setRows({});
    QCOMPARE(model.rowCount(), 1);
    QVERIFY(edited.count() >= 7);
}

void TestRequestEditor::keyValueEditorTypingAndDeleteKey()
{
    KeyValueEditor editor;
    editor.resize(500, 250);
    editor.show();
    QVERIFY(QTest::qWaitForWindowActive(&editor));
    QTableView *view = editor.view();

    // Click into the empty row, type a key, Tab to the value, type, Enter.
    const QModelIndex keyCell = editor.model()->index(0, KeyValueModel::KeyColumn);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(keyCell).center());
    QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<QLineEdit *>(QApplication::focusWidget()), Timeout);
    QTest::keyClicks(QApplication::focusWidget(), u"X-Trace"_s);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    QTRY_COMPARE_WITH_TIMEOUT(QApplication::focusWidget()->objectName(), u"valueEditor"_s, Timeout);
    QTest::keyClicks(QApplication::focusWidget(), u"on"_s);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
    // The delegate commits on Return through a queued call.
    QTRY_COMPARE_WITH_TIMEOUT(editor.rows(), (QList<KeyValue>{{u"X-Trace"_s, u"on"_s, true}}),
                              Timeout);
    QCOMPARE(editor.model()->rowCount(), 2);

    // Select the row, press Delete: gone.
    view->setFocus();
    view->selectRow(0);
    QTest::keyClick(view, Qt::Key_Delete);
    QCOMPARE(editor.rows(), QList<KeyValue>{});
    QCOMPARE(editor.model()->rowCount(), 1);
}

void TestRequestEditor::variablesExpandInTooltips()
{
    Variables variables;
    QVERIFY(variables.set(Variables::Layer::CommandLine, u"host"_s, u"example.org"_s));
    QVERIFY(variables.set(Variables::Layer::CommandLine, u"token"_s, u"s3cr3t-value"_s));
    KeyValueModel model;
    model.setSecrets(KeyValueModel::Secrets::HeaderNames);
    model.setRows({{u"X-Host"_s, u"{{host}}:443"_s, true},
                   {u"X-Tenant"_s, u"{{tenant}}"_s, true},
                   {u"X-Auth-Token"_s, u"{{token}}"_s, true},
                   {u"X-Echo"_s, u"t={{token}}"_s, true}});
    // Without variables the tooltip names the references.
    QVERIFY(model.index(0, KeyValueModel::ValueColumn).data(Qt::ToolTipRole).toString()
                .contains(u"host"_s));
    model.setVariables(&variables);
    QCOMPARE(model.index(0, KeyValueModel::ValueColumn).data(Qt::ToolTipRole).toString(),
             u"Expands to: example.org:443"_s);
    QCOMPARE(model.index(0, KeyValueModel::ValueColumn).data(KeyValueModel::ExpandedValueRole)
                 .toString(),
             u"example.org:443"_s);
    QVERIFY(model.index(1, KeyValueModel::ValueColumn).data(Qt::ToolTipRole).toString()
                .contains(u"Not defined: tenant"_s));
    // Secrets stay masked in tooltips, also through a variable in a non-secret header.
    const QString secretTip = model.index(2, KeyValueModel::ValueColumn).data(Qt::ToolTipRole)
                                  .toString();
    QVERIFY2(!secretTip.contains(u"s3cr3t"_s), qPrintable(secretTip));
    const QString echoTip = model.index(3, KeyValueModel::ValueColumn).data(Qt::ToolTipRole)
                                .toString();
    QVERIFY2(!echoTip.contains(u"s3cr3t"_s), qPrintable(echoTip));
}

void TestRequestEditor::settingsRoundTrip()
{
    RequestEditor editor;
    QSignalSpy changed(&editor, &RequestEditor::settingsChanged);
    QCOMPARE(editor.settings(), SessionSettings{});

    const SessionSettings full = fullyPopulated();
    editor.setSettings(full);
    QCOMPARE(changed.count(), 0);  // setSettings is not an edit
    const SessionSettings back = editor.settings();
    QCOMPARE(back.query, full.query);
    QCOMPARE(back.headers, full.headers);
    QCOMPARE(back.subprotocols, full.subprotocols);
    QVERIFY(back.tls == full.tls);
    QVERIFY(back.proxy == full.proxy);
    QVERIFY(back.reconnect == full.reconnect);
    QCOMPARE(back.maxIncomingFrameSize, full.maxIncomingFrameSize);
    QVERIFY(back == full);

    // A correlation that is not a JSON Pointer is marked while it is typed.
    auto *correlation = editor.findChild<QLineEdit *>(u"correlation"_s);
    QVERIFY(correlation);
    QVERIFY(correlation->styleSheet().isEmpty());
    correlation->setText(u"id"_s);
    QVERIFY2(correlation->toolTip().contains(u"not a JSON Pointer"_s), qPrintable(correlation->toolTip()));
    QVERIFY(!correlation->styleSheet().isEmpty());
    correlation->setText(u"/id"_s);
    QVERIFY(correlation->styleSheet().isEmpty());
    changed.clear();

    // And back to the defaults: nothing of the previous settings sticks.
    editor.setSettings({});
    QVERIFY(editor.settings() == SessionSettings{});
    QCOMPARE(changed.count(), 0);

    // The tabs say how many rows are sent.
    editor.setSettings(full);
    QCOMPARE(editor.tabText(RequestEditor::ParamsTab), u"Params (2)"_s);
    QCOMPARE(editor.tabText(RequestEditor::HeadersTab), u"Headers (2)"_s);
    QCOMPARE(editor.tabText(RequestEditor::SubprotocolsTab), u"Subprotocols (2)"_s);
    for (const QString &name : {u"requestTabs"_s, u"paramsEditor"_s, u"headersEditor"_s,
                                u"subprotocolsEditor"_s, u"settingsForm"_s, u"handshakeView"_s}) {
        QVERIFY2(name == editor.objectName() || editor.findChild<QWidget *>(name),
                 qPrintable(name));
    }

    editor.resize(900, 560);
    editor.setUrl(full.url);
    for (int tab = 0; tab < editor.count(); ++tab) {
        editor.setCurrentIndex(tab);
        grab(&editor, u"requesteditor-%1.png"_s.arg(tab));
    }
}

void TestRequestEditor::userEditsEmitSettingsChanged()
{
    RequestEditor editor;
    editor.setSettings(fullyPopulated());
    QSignalSpy changed(&editor, &RequestEditor::settingsChanged);

    auto *timeout = editor.findChild<QSpinBox *>(u"connectTimeout"_s);
    QVERIFY(timeout);
    timeout->setValue(500);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(editor.settings().connectTimeoutMs, 500);

    auto *jitter = editor.findChild<QDoubleSpinBox *>(u"reconnectJitter"_s);
    QVERIFY(jitter);
    QCOMPARE(jitter->value(), 12.3);
    jitter->setValue(25);
    QCOMPARE(editor.settings().reconnect.jitter, 0.25);

    auto *subprotocols = editor.findChild<StringListEditor *>(u"subprotocolsEditor"_s);
    QVERIFY(subprotocols->addItem(u"v1.chat"_s));
    QVERIFY(!subprotocols->addItem(u"mqtt"_s));  // already offered
    QCOMPARE(editor.settings().subprotocols,
             (QStringList{u"graphql-transport-ws"_s, u"mqtt"_s, u"v1.chat"_s}));

    const int before = int(changed.count());
    editor.headersEditor()->model()->setData(
        editor.headersEditor()->model()->index(1, KeyValueModel::EnabledColumn), Qt::Checked,
        Qt::CheckStateRole);
    QCOMPARE(changed.count(), before + 1);
    QCOMPARE(editor.tabText(RequestEditor::HeadersTab), u"Headers (3)"_s);
    QVERIFY(editor.settings().headers.at(1).enabled);

    // The proxy's fields only take input when a proxy is set by hand; their values stay.
    auto *mode = editor.findChild<QComboBox *>(u"proxyMode"_s);
    mode->setCurrentIndex(mode->findData(int(ProxySettings::Mode::System)));
    QVERIFY(!editor.findChild<QLineEdit *>(u"proxyHost"_s)->isEnabled());
    QCOMPARE(editor.settings().proxy.mode, ProxySettings::Mode::System);
    QCOMPARE(editor.settings().proxy.host, u"proxy.local"_s);
}

void TestRequestEditor::secretHeaderIsMaskedInTheView()
{
    RequestEditor editor;
    SessionSettings settings;
    settings.headers = {{u"Authorization"_s, u"Bearer abc.def"_s, true},
                        {u"X-Plain"_s, u"hello"_s, true},
                        {u"X-Api-Token"_s, u"{{token}}"_s, true},
                        {u"X-Off"_s, u"disabled row"_s, false}};
    editor.setSettings(settings);
    editor.setCurrentIndex(RequestEditor::HeadersTab);
    editor.resize(700, 320);
    editor.show();
    QVERIFY(QTest::qWaitForWindowActive(&editor));

    KeyValueEditor *headers = editor.headersEditor();
    KeyValueModel *model = headers->model();
    const QModelIndex secret = model->index(0, KeyValueModel::ValueColumn);
    QCOMPARE(secret.data().toString(), SecretMasker::Mask.toString());
    QVERIFY(secret.data(KeyValueModel::IsSecretRole).toBool());
    QCOMPARE(secret.data(Qt::EditRole).toString(), u"Bearer abc.def"_s);
    QCOMPARE(model->index(1, KeyValueModel::ValueColumn).data().toString(), u"hello"_s);
    // A value that only names a variable hides nothing: it stays legible, as in Postman.
    QCOMPARE(model->index(2, KeyValueModel::ValueColumn).data().toString(), u"{{token}}"_s);
    model->setData(model->index(2, KeyValueModel::ValueColumn), u"Bearer {{token}}"_s);
    QCOMPARE(model->index(2, KeyValueModel::ValueColumn).data().toString(), u"Bearer {{token}}"_s);
    model->setData(model->index(2, KeyValueModel::ValueColumn), u"abc{{token}}"_s);
    QCOMPARE(model->index(2, KeyValueModel::ValueColumn).data().toString(),
             SecretMasker::Mask.toString());
    model->setData(model->index(2, KeyValueModel::ValueColumn), u"{{token}}"_s);

    // Editing a masked value echoes it as a password field does.
    headers->view()->edit(secret);
    auto *lineEdit = headers->view()->findChild<QLineEdit *>(u"valueEditor"_s);
    QVERIFY(lineEdit);
    QCOMPARE(lineEdit->echoMode(), QLineEdit::Password);
    QCOMPARE(lineEdit->text(), u"Bearer abc.def"_s);
    QTest::keyClick(lineEdit, Qt::Key_Escape);
    grab(&editor, u"headers-masked.png"_s);

    // The toggle shows them.
    auto *show = headers->findChild<QCheckBox *>(u"showSecrets"_s);
    QVERIFY(show && show->isVisible());
    show->click();
    QCOMPARE(secret.data().toString(), u"Bearer abc.def"_s);
    QVERIFY(!secret.data(KeyValueModel::IsSecretRole).toBool());
    grab(&editor, u"headers-shown.png"_s);
    show->click();
    QCOMPARE(secret.data().toString(), SecretMasker::Mask.toString());

    // A key that becomes secret masks its value at once.
    model->setData(model->index(1, KeyValueModel::KeyColumn), u"Cookie"_s);
    QCOMPARE(model->index(1, KeyValueModel::ValueColumn).data().toString(),
             SecretMasker::Mask.toString());
}

void TestRequestEditor::mergeAndSplitQuery()
{
    const QUrl url(u"ws://h/p?a=1"_s);
    QCOMPARE(RequestEditor::mergeQuery(url, {{u"b"_s, u"2 3"_s, true}, {u"c"_s, u"x"_s, false}}),
             QUrl(u"ws://h/p?a=1&b=2%203"_s));
    const auto [bare, rows] = RequestEditor::splitQuery(QUrl(u"ws://h/p?a=1&b=x%20y&a=2"_s));
    QCOMPARE(bare, QUrl(u"ws://h/p"_s));
    QCOMPARE(rows, (QList<KeyValue>{{u"a"_s, u"1"_s, true}, {u"b"_s, u"x y"_s, true},
                                    {u"a"_s, u"2"_s, true}}));

    RequestEditor editor;
    editor.setUrl(QUrl(u"ws://h/p"_s));
    editor.paramsEditor()->model()->appendRow({u"token"_s, u"hunter22"_s, true});
    auto *effective = editor.findChild<QLabel *>(u"effectiveUrl"_s);
    QVERIFY(effective->text().startsWith(u"Sent as: ws://h/p?token="_s));
    QVERIFY(!effective->text().contains(u"hunter22"_s));
    QCOMPARE(editor.settings().url, QUrl(u"ws://h/p"_s));
}

void TestRequestEditor::handshakeShowsRequestThen101AndSubprotocol()
{
    QWebSocketServer server(u"tst_requesteditor"_s, QWebSocketServer::NonSecureMode);
    server.setSupportedSubprotocols({u"chat.v2"_s});
    QVERIFY(server.listen(QHostAddress::LocalHost));
    QList<QWebSocket *> accepted;
    connect(&server, &QWebSocketServer::newConnection, this, [&] {
        while (QWebSocket *socket = server.nextPendingConnection())
            accepted.append(socket);
    });

    SessionSettings settings;
    settings.url = QUrl(u"ws://127.0.0.1:%1/live"_s.arg(server.serverPort()));
    settings.subprotocols = {u"chat.v1"_s, u"chat.v2"_s};
    settings.headers = {{u"Authorization"_s, u"Bearer top-secret"_s, true}};
    Session session(settings);

    RequestEditor editor;
    editor.setSettings(settings);
    editor.setSession(&session);
    auto *view = editor.findChild<HandshakeView *>(u"handshakeView"_s);
    QVERIFY(view);
    QCOMPARE(view->outcome(), HandshakeView::Outcome::None);

    session.open();
    // The request is logged as the socket opens: it shows before any answer.
    QCOMPARE(view->outcome(), HandshakeView::Outcome::Waiting);
    QVERIFY2(view->text().contains(u"GET /live HTTP/1.1"_s), qPrintable(view->text()));
    QVERIFY(view->text().contains(u"Sec-WebSocket-Protocol: chat.v1, chat.v2"_s));
    QVERIFY(view->text().contains(u"Authorization: Bearer "_s + SecretMasker::Mask.toString()));
    QVERIFY(!view->text().contains(u"top-secret"_s));

    QTRY_COMPARE_WITH_TIMEOUT(view->outcome(), HandshakeView::Outcome::Accepted, Timeout);
    QVERIFY2(view->summary().contains(u"101 Switching Protocols"_s), qPrintable(view->summary()));
    QVERIFY2(view->summary().contains(u"chat.v2"_s), qPrintable(view->summary()));
    QVERIFY(view->text().contains(u"HTTP/1.1 101 Switching Protocols"_s));
    QVERIFY(view->text().indexOf(u"GET /live"_s) < view->text().indexOf(u"HTTP/1.1 101"_s));

    // Messages do not disturb it.
    QTRY_VERIFY_WITH_TIMEOUT(!accepted.isEmpty(), Timeout);
    accepted.first()->sendTextMessage(u"hello"_s);
    QTRY_VERIFY_WITH_TIMEOUT(session.log()->last().kind == EventKind::Text, Timeout);
    QCOMPARE(view->outcome(), HandshakeView::Outcome::Accepted);

    editor.setCurrentIndex(RequestEditor::HandshakeTab);
    editor.resize(760, 360);
    grab(&editor, u"handshake-101.png"_s);

    session.close();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Closed, Timeout);
    QCOMPARE(view->outcome(), HandshakeView::Outcome::Accepted);  // the last upgrade did succeed
    qDeleteAll(accepted);
}

void TestRequestEditor::handshakeShowsRejectedStatus()
{
    SessionSettings settings;
    settings.url = QUrl(m_demo.url().toString() + u"/reject?status=401"_s);
    Session session(settings);
    HandshakeView view;
    view.setSession(&session);
    session.open();
    QTRY_COMPARE_WITH_TIMEOUT(view.outcome(), HandshakeView::Outcome::Failed, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Closed, Timeout);
    QVERIFY2(view.summary().contains(u"HTTP 401"_s), qPrintable(view.summary()));
    QVERIFY(view.summary().contains(u"Unauthorized"_s));
    QVERIFY(view.text().contains(u"GET /reject?status=401 HTTP/1.1"_s));
    view.resize(760, 300);
    grab(&view, u"handshake-401.png"_s);

    // A view set later reads the same from the log.
    HandshakeView late;
    late.setSession(&session);
    QCOMPARE(late.summary(), view.summary());
}

void TestRequestEditor::handshakeShowsRefusedConnection()
{
    // A port that was just free: nothing listens there.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 port = probe.serverPort();
    probe.close();

    SessionSettings settings;
    settings.url = QUrl(u"ws://127.0.0.1:%1/"_s.arg(port));
    Session session(settings);
    HandshakeView view;
    view.setSession(&session);
    session.open();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Closed, Timeout);
    QCOMPARE(view.outcome(), HandshakeView::Outcome::Failed);
    QVERIFY2(view.text().contains(u"No response"_s), qPrintable(view.text()));
    QVERIFY2(view.text().contains(u"refused"_s, Qt::CaseInsensitive), qPrintable(view.text()));
}

void TestRequestEditor::handshakeFollowsReconnectsAndSessionSwitch()
{
    SessionSettings rejected;
    rejected.url = QUrl(m_demo.url().toString() + u"/reject?status=403"_s);
    Session first(rejected);
    SessionSettings echo;
    echo.url = QUrl(m_demo.url().toString() + u"/echo"_s);
    Session second(echo);

    HandshakeView view;
    view.setSession(&first);
    first.open();
    QTRY_COMPARE_WITH_TIMEOUT(first.state(), SessionState::Closed, Timeout);
    QVERIFY(view.summary().contains(u"HTTP 403"_s));

    view.setSession(&second);
    QCOMPARE(view.outcome(), HandshakeView::Outcome::None);
    second.open();
    QTRY_COMPARE_WITH_TIMEOUT(view.outcome(), HandshakeView::Outcome::Accepted, Timeout);
    QVERIFY(view.summary().contains(u"no subprotocol"_s));
    second.close();
    QTRY_COMPARE_WITH_TIMEOUT(second.state(), SessionState::Closed, Timeout);

    // The next attempt replaces the last one.
    SessionSettings nowRejected = echo;
    nowRejected.url = rejected.url;
    second.setSettings(nowRejected);
    second.open();
    QTRY_COMPARE_WITH_TIMEOUT(view.outcome(), HandshakeView::Outcome::Failed, Timeout);
    QVERIFY(view.summary().contains(u"HTTP 403"_s));
    QTRY_COMPARE_WITH_TIMEOUT(second.state(), SessionState::Closed, Timeout);

    second.log()->clear();
    QCOMPARE(view.outcome(), HandshakeView::Outcome::None);
    view.setSession(nullptr);
    QCOMPARE(view.outcome(), HandshakeView::Outcome::None);
}

QTEST_MAIN(TestRequestEditor)
#include "tst_requesteditor.moc"
