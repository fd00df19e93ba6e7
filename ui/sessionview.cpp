#include "sessionview.h"

#include "closecodes.h"
#include "framelogmodel.h"
#include "session.h"

#include "qscintilla.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QShortcut>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

QString stateColor(SessionState state)
{
    switch (state) {
    case SessionState::Open: return u"#2e9d4f"_s;
    case SessionState::Connecting:
    case SessionState::WaitingToReconnect: return u"#e0a000"_s;
    case SessionState::Closing: return u"#e07000"_s;
    case SessionState::Idle:
    case SessionState::Closed: return u"#888888"_s;
    }
    return {};
}

} // namespace

SessionView::SessionView(Session *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_model(new FrameLogModel(this))
    , m_url(new QLineEdit(this))
    , m_connectButton(new QPushButton(this))
    , m_stateLabel(new QLabel(this))
    , m_logView(new QTableView(this))
    , m_composer(new QsciScintilla(this))
    , m_closeCode(new QComboBox(this))
    , m_closeReason(new QLineEdit(this))
    , m_closeDisplay(new QLabel(this))
{
    m_url->setObjectName(u"url"_s);
    m_url->setPlaceholderText(tr("ws://host:port/path"));
    m_url->setText(session->settings().url.toString());
    m_url->setClearButtonEnabled(true);
    connect(m_url, &QLineEdit::returnPressed, this, &SessionView::toggleConnection);
    m_connectButton->setObjectName(u"connect"_s);
    connect(m_connectButton, &QPushButton::clicked, this, &SessionView::toggleConnection);
    m_stateLabel->setObjectName(u"state"_s);
    m_stateLabel->setMinimumWidth(150);

    auto *urlBar = new QHBoxLayout;
    urlBar->addWidget(m_url, 1);
    urlBar->addWidget(m_connectButton);
    urlBar->addWidget(m_stateLabel);

    m_model->setLog(session->log());
    m_logView->setObjectName(u"frameLog"_s);
    m_logView->setModel(m_model);
    m_logView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_logView->setWordWrap(false);
    m_logView->setShowGrid(false);
    m_logView->setAlternatingRowColors(true);
    m_logView->verticalHeader()->setVisible(false);
    // Uniform row heights: the view never measures a million rows.
    m_logView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_logView->verticalHeader()->setDefaultSectionSize(m_logView->fontMetrics().height() + 6);
    QHeaderView *header = m_logView->horizontalHeader();
    header->setStretchLastSection(true);
    header->resizeSection(FrameLogModel::TimeColumn, 100);
    header->resizeSection(FrameLogModel::DeltaColumn, 95);
    header->resizeSection(FrameLogModel::DirectionColumn, 70);
    header->resizeSection(FrameLogModel::TypeColumn, 150);
    header->resizeSection(FrameLogModel::SizeColumn, 70);
    connect(m_model, &QAbstractItemModel::rowsAboutToBeInserted, this, [this] {
        const QScrollBar *bar = m_logView->verticalScrollBar();
        const bool atBottom = bar->value() >= bar->maximum() - 2;
        QMetaObject::invokeMethod(this, [this, atBottom] { followTail(atBottom); },
                                  Qt::QueuedConnection);
    });

    m_composer->setObjectName(u"composer"_s);
    auto *lexer = new QsciLexerJSON(m_composer);
    lexer->setDefaultFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_composer->setLexer(lexer);
    m_composer->setUtf8(true);
    m_composer->setAutoIndent(true);
    m_composer->setBraceMatching(QsciScintilla::SloppyBraceMatch);
    m_composer->setMarginWidth(0, 0);
    m_composer->setText(u"{\"type\": \"hello\", \"text\": \"hi\"}"_s);
    auto *sendShortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), m_composer);
    sendShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(sendShortcut, &QShortcut::activated, this, &SessionView::sendComposer);
    auto *sendShortcutEnter = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Enter), m_composer);
    sendShortcutEnter->setContext(Qt::WidgetWithChildrenShortcut);
    connect(sendShortcutEnter, &QShortcut::activated, this, &SessionView::sendComposer);

    auto *sendButton = new QPushButton(tr("Send"), this);
    sendButton->setObjectName(u"send"_s);
    sendButton->setToolTip(tr("Send the composer's text (Ctrl+Enter)"));
    connect(sendButton, &QPushButton::clicked, this, &SessionView::sendComposer);
    auto *pingButton = new QPushButton(tr("Ping"), this);
    pingButton->setObjectName(u"ping"_s);
    connect(pingButton, &QPushButton::clicked, this, &SessionView::sendPing);

    m_closeCode->setObjectName(u"closeCode"_s);
    m_closeCode->setEditable(true);
    for (int code : {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 4000, 4001})
        m_closeCode->addItem(CloseCodes::label(code), code);
    m_closeReason->setObjectName(u"closeReason"_s);
    m_closeReason->setPlaceholderText(tr("close reason"));
    auto *closeButton = new QPushButton(tr("Close"), this);
    closeButton->setObjectName(u"close"_s);
    connect(closeButton, &QPushButton::clicked, this, &SessionView::closeWithChosenCode);

    auto *actions = new QHBoxLayout;
    actions->addWidget(sendButton);
    actions->addWidget(pingButton);
    actions->addStretch(1);
    actions->addWidget(new QLabel(tr("Close with"), this));
    actions->addWidget(m_closeCode);
    actions->addWidget(m_closeReason);
    actions->addWidget(closeButton);

    auto *composerPane = new QWidget(this);
    auto *composerLayout = new QVBoxLayout(composerPane);
    composerLayout->setContentsMargins(0, 0, 0, 0);
    composerLayout->addWidget(m_composer, 1);
    composerLayout->addLayout(actions);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_logView);
    splitter->addWidget(composerPane);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);

    m_closeDisplay->setObjectName(u"closeDisplay"_s);
    m_closeDisplay->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(urlBar);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_closeDisplay);

    connect(session, &Session::stateChanged, this, &SessionView::updateState);
    connect(session, &Session::closed, this, &SessionView::showClose);
    updateState();
}

QString SessionView::title() const
{
    const QUrl url = m_session->settings().url;
    QString title = url.host().isEmpty() ? tr("New session") : url.host() + url.path();
    const CloseInfo close = m_session->lastClose();
    if (m_session->state() == SessionState::Closed && close.code != 0)
        title += u" · "_s + QString::number(close.code);
    return title;
}

void SessionView::applyUrl()
{
    SessionSettings settings = m_session->settings();
    settings.url = QUrl::fromUserInput(m_url->text().trimmed());
    if (settings.url.scheme() == "http"_L1)
        settings.url.setScheme(u"ws"_s);
    else if (settings.url.scheme() == "https"_L1)
        settings.url.setScheme(u"wss"_s);
    m_session->setSettings(settings);
}

void SessionView::toggleConnection()
{
    switch (m_session->state()) {
    case SessionState::Idle:
    case SessionState::Closed:
        applyUrl();
        m_closeDisplay->clear();
        m_session->open();
        break;
    case SessionState::Open:
        m_session->close(1000, {});
        break;
    case SessionState::Connecting:
    case SessionState::Closing:
    case SessionState::WaitingToReconnect:
        m_session->abort();
        break;
    }
}

void SessionView::sendComposer()
{
    m_session->sendText(m_composer->text());
    m_model->flush();
}

void SessionView::sendPing()
{
    m_session->ping();
}

void SessionView::closeWithChosenCode()
{
    QVariant data = m_closeCode->currentData();
    std::optional<int> code;
    if (m_closeCode->currentIndex() >= 0 && m_closeCode->currentText() == m_closeCode->itemText(m_closeCode->currentIndex()))
        code = data.toInt();
    else
        code = CloseCodes::fromString(m_closeCode->currentText().section(u' ', 0, 0));
    m_session->close(code.value_or(1000), m_closeReason->text());
}

void SessionView::updateState()
{
    const SessionState state = m_session->state();
    m_stateLabel->setText(u"<span style='color:%1'>●</span> %2"_s.arg(stateColor(state),
                                                                    displayName(state)));
    const bool idle = state == SessionState::Idle || state == SessionState::Closed;
    m_connectButton->setText(idle ? tr("Connect") : state == SessionState::Open ? tr("Disconnect")
                                                                                 : tr("Cancel"));
    m_url->setReadOnly(!idle);
    Q_EMIT titleChanged(title());
}

void SessionView::showClose(const CloseInfo &info)
{
    QString text = u"Closed · "_s + CloseCodes::label(info.code);
    if (!info.reason.isEmpty())
        text += u" · \""_s + info.reason + u'"';
    text += u" · by "_s + displayName(info.initiator);
    text += info.clean ? u" · clean"_s : u" · not clean"_s;
    if (info.openDurationMs >= 0)
        text += u" · open for %1 s"_s.arg(info.openDurationMs / 1000.0, 0, 'f', 1);
    m_closeDisplay->setText(text);
    m_closeDisplay->setToolTip(CloseCodes::description(info.code));
    Q_EMIT titleChanged(title());
}

void SessionView::followTail(bool wasAtBottom)
{
    if (wasAtBottom)
        m_logView->scrollToBottom();
}

} // namespace wsprobe
