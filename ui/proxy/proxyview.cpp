#include "proxyview.h"

#include "framelogview.h"
#include "proxyconnection.h"
#include "proxyconnectionsmodel.h"
#include "proxyrules.h"
#include "proxyserver.h"

#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHostAddress>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace wsprobe {

ProxyView::ProxyView(QWidget *parent)
    : QWidget(parent), m_connections(new ProxyConnectionsModel(this)),
      m_listen(new QLineEdit(u"127.0.0.1:8081"_s, this)), m_target(new QLineEdit(this)),
      m_rules(new QLineEdit(this)), m_startStop(new QPushButton(tr("Start"), this)),
      m_status(new QLabel(tr("Not running"), this)), m_connectionList(new QListView(this)),
      m_log(new FrameLogView(this)), m_held(new QListWidget(this)), m_editor(new QPlainTextEdit(this)),
      m_forward(new QPushButton(tr("Forward"), this)), m_drop(new QPushButton(tr("Drop"), this)),
      m_hits(new QLabel(this))
{
    m_listen->setObjectName(u"proxyListen"_s);
    m_target->setObjectName(u"proxyTarget"_s);
    m_target->setPlaceholderText(u"ws://server:8080"_s);
    m_rules->setObjectName(u"proxyRules"_s);
    m_rules->setPlaceholderText(tr("none: every message passes"));
    m_startStop->setObjectName(u"proxyStartStop"_s);
    m_connectionList->setObjectName(u"proxyConnections"_s);
    m_held->setObjectName(u"proxyHeld"_s);
    m_editor->setObjectName(u"proxyHeldEditor"_s);
    m_forward->setObjectName(u"proxyForward"_s);
    m_drop->setObjectName(u"proxyDrop"_s);
    m_connectionList->setModel(m_connections);
    m_connectionList->setUniformItemSizes(true);

    auto *browse = new QPushButton(tr("Browse…"), this);
    auto *rulesRow = new QHBoxLayout;
    rulesRow->addWidget(m_rules, 1);
    rulesRow->addWidget(browse);
    auto *form = new QFormLayout;
    form->addRow(tr("Listen on"), m_listen);
    form->addRow(tr("Forward to"), m_target);
    form->addRow(tr("Rules"), rulesRow);
    auto *bar = new QHBoxLayout;
    bar->addLayout(form, 1);
    auto *side = new QVBoxLayout;
    side->addWidget(m_startStop);
    side->addWidget(m_status);
    side->addStretch();
    bar->addLayout(side);

    auto *heldBox = new QWidget(this);
    auto *heldLayout = new QVBoxLayout(heldBox);
    heldLayout->setContentsMargins(0, 0, 0, 0);
    heldLayout->addWidget(new QLabel(tr("Held messages"), heldBox));
    heldLayout->addWidget(m_held, 1);
    heldLayout->addWidget(m_editor, 1);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_forward);
    buttons->addWidget(m_drop);
    heldLayout->addLayout(buttons);
    heldLayout->addWidget(m_hits);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_connectionList);
    splitter->addWidget(m_log);
    splitter->addWidget(heldBox);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({220, 700, 300});

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(splitter, 1);

    connect(browse, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Proxy Rules"), QString(),
                                                          tr("JSON files (*.json)"));
        if (!path.isEmpty())
            m_rules->setText(path);
    });
    connect(m_startStop, &QPushButton::clicked, this, [this] {
        if (m_server && m_server->isListening())
            stop();
        else
            start();
    });
    connect(m_connectionList->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &index) { showConnection(index.row()); });
    connect(m_held, &QListWidget::currentRowChanged, this, [this](int row) {
        if (!m_current || row < 0) {
            m_editor->clear();
            return;
        }
        const QList<ProxyConnection::Held> held = m_current->heldMessages();
        if (row < held.size())
            m_editor->setPlainText(held.at(row).binary ? QString::fromUtf8(held.at(row).data)
                                                       : held.at(row).text);
    });
    connect(m_forward, &QPushButton::clicked, this, &ProxyView::forwardSelected);
    connect(m_drop, &QPushButton::clicked, this, &ProxyView::dropSelected);
    refreshHeld();
}

ProxyView::~ProxyView()
{
    // The log view reads the connection's log: let go of it before the server goes.
    m_log->setLog(nullptr);
    m_connections->setServer(nullptr);
}

QString ProxyView::title() const
{
    return m_server && m_server->isListening() ? tr("Proxy %1").arg(m_server->url().authority())
                                               : tr("Proxy");
}

void ProxyView::setListen(const QString &listen) { m_listen->setText(listen); }
void ProxyView::setTarget(const QString &target) { m_target->setText(target); }
void ProxyView::setRulesFile(const QString &path) { m_rules->setText(path); }

bool ProxyView::start()
{
    stop();
    const QString listen = m_listen->text().trimmed();
    const qsizetype colon = listen.lastIndexOf(u':');
    bool ok = false;
    const uint port = listen.mid(colon + 1).toUInt(&ok);
    const QString host = listen.left(colon);
    const QHostAddress address(host == "localhost"_L1 ? u"127.0.0.1"_s : host);
    if (colon <= 0 || !ok || port > 65535 || address.isNull()) {
        m_status->setText(tr("Listen on an address and a port: 127.0.0.1:8081"));
        return false;
    }
    auto server = std::make_unique<ProxyServer>(QUrl(m_target->text().trimmed()));
    if (!m_rules->text().trimmed().isEmpty()) {
        QList<JsonError> errors;
        std::optional<ProxyRules> rules = ProxyRulesReader::readFile(m_rules->text().trimmed(), &errors);
        if (!rules) {
            m_status->setText(errors.isEmpty() ? tr("The rules cannot be read") : errors.first().toString());
            return false;
        }
        server->setRules(std::move(*rules));
    }
    // The window shows held messages until someone decides: no timeout releases them.
    ProxyRules rules = server->rules();
    for (ProxyRule &rule : rules.rules)
        if (rule.action == ProxyRule::Action::Hold)
            rule.holdTimeoutMs = 0;
    server->setRules(rules);
    if (!server->listen(address, quint16(port))) {
        m_status->setText(server->errorString());
        return false;
    }
    m_server = std::move(server);
    // The model first: it has the row when the view's handler below selects it.
    m_connections->setServer(m_server.get());
    connect(m_server.get(), &ProxyServer::connectionStarted, this, [this](ProxyConnection *connection) {
        connect(connection, &ProxyConnection::heldChanged, this, [this, connection] {
            if (connection == m_current)
                refreshHeld();
            refreshHits();
        });
        connect(connection, &ProxyConnection::finished, this, &ProxyView::refreshHits);
        if (!m_current)
            showConnection(int(m_server->connections().size()) - 1);
    });
    m_status->setText(tr("Listening at %1").arg(m_server->url().toString()));
    m_startStop->setText(tr("Stop"));
    Q_EMIT titleChanged(title());
    return true;
}

void ProxyView::stop()
{
    if (!m_server)
        return;
    m_log->setLog(nullptr);
    m_current = nullptr;
    m_connections->setServer(nullptr);
    m_server->close();
    m_server.reset();
    m_startStop->setText(tr("Start"));
    m_status->setText(tr("Not running"));
    refreshHeld();
    Q_EMIT titleChanged(title());
}

void ProxyView::showConnection(int row)
{
    m_current = m_connections->connectionAt(row);
    m_log->setLog(m_current ? m_current->log() : nullptr);
    if (m_connectionList->currentIndex().row() != row)
        m_connectionList->setCurrentIndex(m_connections->index(row));
    refreshHeld();
}

void ProxyView::refreshHeld()
{
    const int previous = m_held->currentRow();
    m_held->clear();
    if (m_current) {
        for (const ProxyConnection::Held &held : m_current->heldMessages()) {
            const QString arrow = held.direction == ProxyDirection::ToServer ? u"→ server"_s : u"→ client"_s;
            const QString text = held.binary ? tr("%n binary bytes", nullptr, int(held.data.size()))
                                             : held.text.left(200);
            m_held->addItem(u"%1  %2"_s.arg(arrow, text));
        }
    }
    if (m_held->count() > 0)
        m_held->setCurrentRow(qBound(0, previous, m_held->count() - 1));
    m_forward->setEnabled(m_held->count() > 0);
    m_drop->setEnabled(m_held->count() > 0);
}

void ProxyView::refreshHits()
{
    if (!m_server)
        return;
    QStringList parts;
    const std::vector<qint64> hits = m_server->hitCounts();
    for (qsizetype i = 0; i < m_server->rules().rules.size() && std::size_t(i) < hits.size(); ++i)
        parts.append(u"%1: %2"_s.arg(m_server->rules().rules.at(i).name).arg(hits[std::size_t(i)]));
    m_hits->setText(parts.join(u"\n"_s));
}

void ProxyView::forwardSelected()
{
    const int row = m_held->currentRow();
    if (!m_current || row < 0)
        return;
    const QList<ProxyConnection::Held> held = m_current->heldMessages();
    if (row >= held.size())
        return;
    const QString edited = m_editor->toPlainText();
    const QString original = held.at(row).binary ? QString::fromUtf8(held.at(row).data) : held.at(row).text;
    m_current->release(held.at(row).id, edited == original ? std::nullopt : std::optional<QString>(edited));
}

void ProxyView::dropSelected()
{
    const int row = m_held->currentRow();
    if (!m_current || row < 0)
        return;
    const QList<ProxyConnection::Held> held = m_current->heldMessages();
    if (row < held.size())
        m_current->drop(held.at(row).id);
}

} // namespace wsprobe
