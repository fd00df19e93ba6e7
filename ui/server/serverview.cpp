#include "serverview.h"

#include "closecodes.h"
#include "demosocket.h"
#include "framelogmodel.h"
#include "framelogview.h"
#include "mockclientsmodel.h"
#include "mockrulesmodel.h"
#include "mockserver.h"
#include "themecolors.h"
#include "variables.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcessEnvironment>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

QTableView *makeTable(QAbstractItemModel *model, const QString &name, QWidget *parent)
{
    auto *table = new QTableView(parent);
    table->setObjectName(name);
    table->setModel(model);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->verticalHeader()->hide();
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 8);
    table->setWordWrap(false);
    table->setAlternatingRowColors(true);
    table->horizontalHeader()->setHighlightSections(false);
    return table;
}

} // namespace

ServerView::ServerView(MockScript script, QWidget *parent)
    : QWidget(parent)
    , m_server(new MockServer(std::move(script), this))
    , m_clients(new MockClientsModel(this))
    , m_rules(new MockRulesModel(this))
{
    // As `wsprobe-run --serve` does: the process environment fills the names the file leaves
    // open.
    Variables variables;
    variables.setProcessEnvironment(QProcessEnvironment::systemEnvironment());
    m_server->setVariables(variables);
    m_clients->setServer(m_server);
    m_rules->setServer(m_server);

    auto *sides = new QSplitter(Qt::Horizontal, this);
    sides->setObjectName(u"serverSplitter"_s);
    sides->setChildrenCollapsible(false);
    sides->addWidget(createClients());
    sides->addWidget(createLogSide());
    sides->setStretchFactor(0, 2);
    sides->setStretchFactor(1, 3);
    sides->setSizes({400, 600});  // in proportion, once the splitter has its width

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(createBar());
    layout->addWidget(sides, 1);

    connect(m_server, &MockServer::listeningChanged, this, &ServerView::onListeningChanged);
    connect(m_clients, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &, int first) {
        // The first client to come is shown at once; later ones wait to be picked.
        if (!m_clientsTable->selectionModel()->hasSelection())
            m_clientsTable->selectRow(first);
        updateStatus();
    });
    connect(m_clients, &QAbstractItemModel::rowsRemoved, this, &ServerView::updateStatus);
    connect(m_clients, &QAbstractItemModel::dataChanged, this, [this] {
        updateStatus();
        updateActions();
        onCurrentClientChanged();
    });
    connect(m_clientsTable->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ServerView::onCurrentClientChanged);
    onListeningChanged(false);
    onCurrentClientChanged();
}

ServerView::~ServerView()
{
    // The log view reads a log the clients model keeps: it lets go first.
    m_log->setLog(nullptr);
    m_clients->setServer(nullptr);
    m_rules->setServer(nullptr);
    // Closing the tab ends the clients as Stop does, with 1001. Deleting the server now would
    // cut them off before the close frames left (1006), so it outlives the tab until they have
    // gone, which the close's own timeout bounds.
    MockServer *server = m_server;
    disconnect(server, nullptr, this, nullptr);  // nothing of this view is to be told any more
    server->close();
    if (server->clientCount() == 0)
        return;
    server->setParent(QCoreApplication::instance());
    connect(server, &MockServer::clientEnded, server, [server] {
        if (server->clientCount() == 0)
            server->deleteLater();
    });
    QTimer::singleShot(demo::CloseTimeoutMs + 1000, server, &QObject::deleteLater);
}

QString ServerView::title() const
{
    const MockScript &script = m_server->script();
    return script.name.isEmpty() ? QFileInfo(script.fileName).fileName() : script.name;
}

QWidget *ServerView::createBar()
{
    auto *bar = new QWidget(this);
    auto *layout = new QHBoxLayout(bar);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *name = new QLabel(u"<b>%1</b>"_s.arg(title().toHtmlEscaped()), bar);
    name->setObjectName(u"serverName"_s);
    name->setToolTip(m_server->script().fileName);
    layout->addWidget(name);
    layout->addSpacing(12);
    layout->addWidget(new QLabel(tr("Port"), bar));
    m_port = new QSpinBox(bar);
    m_port->setObjectName(u"serverPort"_s);
    m_port->setRange(0, 65535);
    m_port->setValue(m_server->script().port);
    m_port->setSpecialValueText(tr("any"));
    m_port->setToolTip(tr("The port to listen on; 0 (any) takes a free one."));
    layout->addWidget(m_port);
    m_startStop = new QPushButton(bar);
    m_startStop->setObjectName(u"startStop"_s);
    connect(m_startStop, &QPushButton::clicked, this, [this] {
        if (isRunning())
            stop();
        else
            start();
    });
    layout->addWidget(m_startStop);
    m_url = new QLabel(bar);
    m_url->setObjectName(u"serverUrl"_s);
    m_url->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_url);
    layout->addStretch(1);
    m_status = new QLabel(bar);
    m_status->setObjectName(u"serverStatus"_s);
    layout->addWidget(m_status);
    return bar;
}

QWidget *ServerView::createClients()
{
    auto *column = new QSplitter(Qt::Vertical, this);
    column->setChildrenCollapsible(false);

    auto *clientsBox = new QGroupBox(tr("Clients"), column);
    auto *clientsLayout = new QVBoxLayout(clientsBox);
    m_clientsTable = makeTable(m_clients, u"clientsTable"_s, clientsBox);
    QHeaderView *header = m_clientsTable->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(MockClientsModel::PathColumn, QHeaderView::Stretch);
    clientsLayout->addWidget(m_clientsTable);
    auto *clear = new QPushButton(tr("Clear Ended"), clientsBox);
    clear->setObjectName(u"clearEnded"_s);
    clear->setToolTip(tr("Removes the clients that left, and their logs."));
    connect(clear, &QPushButton::clicked, m_clients, &MockClientsModel::clearEnded);
    auto *clearRow = new QHBoxLayout;
    clearRow->addStretch(1);
    clearRow->addWidget(clear);
    clientsLayout->addLayout(clearRow);

    auto *detailBox = new QGroupBox(tr("Selected client"), column);
    auto *detailLayout = new QVBoxLayout(detailBox);
    m_detail = new QPlainTextEdit(detailBox);
    m_detail->setObjectName(u"clientDetail"_s);
    m_detail->setReadOnly(true);
    m_detail->setLineWrapMode(QPlainTextEdit::NoWrap);
    detailLayout->addWidget(m_detail);

    auto *rulesBox = new QGroupBox(tr("Rules"), column);
    auto *rulesLayout = new QVBoxLayout(rulesBox);
    m_rulesTable = makeTable(m_rules, u"rulesTable"_s, rulesBox);
    m_rulesTable->setSelectionMode(QAbstractItemView::NoSelection);
    header = m_rulesTable->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    // What a rule matches and what it answers share the width; each cell's tooltip is whole.
    header->setSectionResizeMode(MockRulesModel::WhenColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(MockRulesModel::ReplyColumn, QHeaderView::Stretch);
    rulesLayout->addWidget(m_rulesTable);

    column->addWidget(clientsBox);
    column->addWidget(detailBox);
    column->addWidget(rulesBox);
    column->setStretchFactor(0, 3);
    column->setStretchFactor(1, 3);
    column->setStretchFactor(2, 2);
    column->setSizes({300, 300, 200});
    return column;
}

QWidget *ServerView::createLogSide()
{
    auto *side = new QWidget(this);
    auto *layout = new QVBoxLayout(side);
    layout->setContentsMargins(0, 0, 0, 0);
    m_log = new FrameLogView(side);
    m_log->setObjectName(u"clientLog"_s);
    layout->addWidget(m_log, 1);

    auto *sendRow = new QHBoxLayout;
    m_sendText = new QLineEdit(side);
    m_sendText->setObjectName(u"sendText"_s);
    m_sendText->setPlaceholderText(tr("A text message to send as the server"));
    m_sendText->setClearButtonEnabled(true);
    connect(m_sendText, &QLineEdit::returnPressed, this, &ServerView::sendToSelected);
    connect(m_sendText, &QLineEdit::textChanged, this, &ServerView::updateActions);
    m_sendToClient = new QPushButton(tr("Send"), side);
    m_sendToClient->setObjectName(u"sendToClient"_s);
    m_sendToClient->setToolTip(tr("Sends the text to the selected client (Enter)."));
    connect(m_sendToClient, &QPushButton::clicked, this, &ServerView::sendToSelected);
    m_sendToAll = new QPushButton(tr("Send to All"), side);
    m_sendToAll->setObjectName(u"sendToAll"_s);
    m_sendToAll->setToolTip(tr("Sends the text to every connected client."));
    connect(m_sendToAll, &QPushButton::clicked, this, &ServerView::sendToAll);
    sendRow->addWidget(m_sendText, 1);
    sendRow->addWidget(m_sendToClient);
    sendRow->addWidget(m_sendToAll);
    layout->addLayout(sendRow);

    auto *closeRow = new QHBoxLayout;
    closeRow->addWidget(new QLabel(tr("Close with code"), side));
    m_closeCode = new QSpinBox(side);
    m_closeCode->setObjectName(u"closeCode"_s);
    m_closeCode->setRange(1000, 4999);
    m_closeCode->setValue(1000);
    auto updateCodeTip = [this] { m_closeCode->setToolTip(CloseCodes::label(m_closeCode->value())); };
    connect(m_closeCode, &QSpinBox::valueChanged, this, updateCodeTip);
    updateCodeTip();
    closeRow->addWidget(m_closeCode);
    m_closeReason = new QLineEdit(side);
    m_closeReason->setObjectName(u"closeReason"_s);
    m_closeReason->setPlaceholderText(tr("Reason (optional)"));
    closeRow->addWidget(m_closeReason, 1);
    m_closeClient = new QPushButton(tr("Close Client"), side);
    m_closeClient->setObjectName(u"closeClient"_s);
    m_closeClient->setToolTip(tr("Sends the selected client a close frame with this code and reason."));
    connect(m_closeClient, &QPushButton::clicked, this, &ServerView::closeSelected);
    closeRow->addWidget(m_closeClient);
    layout->addLayout(closeRow);
    return side;
}

bool ServerView::start()
{
    if (m_server->listen(quint16(m_port->value()))) {
        m_error.clear();
        return true;
    }
    m_error = m_server->errorString();
    onListeningChanged(false);
    return false;
}

void ServerView::stop()
{
    m_server->close();
}

bool ServerView::isRunning() const
{
    return m_server->isListening();
}

void ServerView::setPort(quint16 port)
{
    m_port->setValue(port);
}

void ServerView::onListeningChanged(bool listening)
{
    m_startStop->setText(listening ? tr("Stop") : tr("Start"));
    m_port->setEnabled(!listening);
    if (listening) {
        m_url->setText(m_server->url().toString());
        m_url->setStyleSheet({});
        m_url->setToolTip(tr("Clients connect to this address and one of the file's paths."));
    } else if (!m_error.isEmpty()) {
        m_url->setText(m_error);
        m_url->setStyleSheet(u"color: %1"_s.arg(ThemeColors::failure(palette()).name()));
        m_url->setToolTip({});
    } else {
        m_url->setText(tr("not listening"));
        m_url->setStyleSheet(u"color: %1"_s.arg(ThemeColors::muted(palette()).name()));
        m_url->setToolTip({});
    }
    updateStatus();
    updateActions();
    Q_EMIT runningChanged(listening);
}

quint64 ServerView::selectedClient() const
{
    const QModelIndexList rows = m_clientsTable->selectionModel()->selectedRows();
    return rows.isEmpty() ? 0 : rows.first().data(MockClientsModel::ClientIdRole).value<quint64>();
}

bool ServerView::selectClient(quint64 id)
{
    const int row = m_clients->rowOf(id);
    if (row < 0)
        return false;
    m_clientsTable->selectRow(row);
    return true;
}

void ServerView::onCurrentClientChanged()
{
    const MockClientsModel::Client *client = m_clients->clientAt(m_clients->rowOf(selectedClient()));
    FrameLog *log = client ? client->log.get() : nullptr;
    if (m_log->log() != log)
        m_log->setLog(log);
    if (!client) {
        m_detail->setPlainText(m_clients->rowCount() == 0 ? tr("No client yet.") : tr("No client selected."));
    } else {
        QStringList lines;
        lines << tr("Client #%1 from %2").arg(client->info.id).arg(client->info.peer())
              << tr("Path: %1").arg(client->info.path)
              << tr("Subprotocol: %1").arg(client->info.subprotocol.isEmpty() ? tr("none") : client->info.subprotocol)
              << tr("Connected: %1").arg(QDateTime::fromMSecsSinceEpoch(client->info.connectedWallMs)
                                                 .toString(u"yyyy-MM-dd HH:mm:ss.zzz"_s));
        if (client->ended)
            lines << tr("Closed: %1%2").arg(CloseCodes::label(client->closeCode),
                                            client->closeReason.isEmpty() ? QString()
                                                                          : u" · \""_s + client->closeReason + u'"');
        lines << QString() << tr("Request headers:");
        for (const auto &[name, value] : client->info.headers)
            lines << u"  "_s + name + u": "_s + value;
        m_detail->setPlainText(lines.join(u'\n'));
    }
    updateActions();
}

void ServerView::updateStatus()
{
    const int connected = m_clients->connectedCount();
    if (!isRunning() && connected == 0)
        m_status->clear();
    else
        m_status->setText(connected == 1 ? tr("1 client connected") : tr("%1 clients connected").arg(connected));
}

void ServerView::updateActions()
{
    const MockClientsModel::Client *client = m_clients->clientAt(m_clients->rowOf(selectedClient()));
    const bool open = client && !client->ended;
    const bool hasText = !m_sendText->text().isEmpty();
    m_sendToClient->setEnabled(open && hasText);
    m_sendToAll->setEnabled(m_clients->connectedCount() > 0 && hasText);
    m_closeClient->setEnabled(open);
}

void ServerView::sendToSelected()
{
    if (m_sendToClient->isEnabled() && m_server->sendTo(selectedClient(), m_sendText->text()))
        m_log->model()->flush();
}

void ServerView::sendToAll()
{
    if (m_server->broadcast(m_sendText->text()) > 0)
        m_log->model()->flush();
}

void ServerView::closeSelected()
{
    m_server->closeClient(selectedClient(), m_closeCode->value(), m_closeReason->text());
}

} // namespace wsprobe
