#include "sessionview.h"

#include "assertionsmodel.h"
#include "assertionspanel.h"
#include "closecodes.h"
#include "liveassertions.h"
#include "composedmessage.h"
#include "composer.h"
#include "framelogmodel.h"
#include "flowlayout.h"
#include "framelogview.h"
#include "jsoncorrelationkey.h"
#include "requesteditor.h"
#include "session.h"
#include "sessionstats.h"
#include "statsview.h"
#include "themecolors.h"

#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPixmap>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

QList<SavedMessage> loadSavedMessages()
{
    QList<SavedMessage> messages;
    const QVariantList stored = QSettings().value(u"composer/saved"_s).toList();
    for (const QVariant &item : stored) {
        const QVariantMap map = item.toMap();
        const int mode = map.value(u"mode"_s).toInt();
        if (mode < int(SendMode::Text) || mode > int(SendMode::Ping))
            continue;
        messages.append({map.value(u"name"_s).toString(), SendMode(mode), map.value(u"body"_s).toString()});
    }
    return messages;
}

void storeSavedMessages(const QList<SavedMessage> &messages)
{
    QVariantList stored;
    for (const SavedMessage &message : messages) {
        stored.append(QVariantMap{{u"name"_s, message.name}, {u"mode"_s, int(message.mode)},
                                  {u"body"_s, message.body}});
    }
    QSettings().setValue(u"composer/saved"_s, stored);
}

QString stateColor(SessionState state, const QPalette &palette)
{
    switch (state) {
    case SessionState::Open: return ThemeColors::success(palette).name();
    case SessionState::Connecting:
    case SessionState::WaitingToReconnect: return ThemeColors::warning(palette).name();
    case SessionState::Closing: return ThemeColors::reference(palette).name();
    case SessionState::Idle:
    case SessionState::Closed: return ThemeColors::muted(palette).name();
    }
    return {};
}

} // namespace

SessionView::SessionView(Session *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_url(new QLineEdit(this))
    , m_connectButton(new QPushButton(this))
    , m_stateLabel(new QLabel(this))
    , m_request(new RequestEditor(this))
    , m_logView(new FrameLogView(this))
    , m_composer(new Composer(this))
    , m_assertions(new LiveAssertions(this))
    , m_assertionsPanel(new AssertionsPanel(this))
    , m_stats(new SessionStats(this))
    , m_statsView(new StatsView(this))
    , m_closeCode(new QComboBox(this))
    , m_closeReason(new QLineEdit(this))
    , m_closeDisplay(new QLabel(this))
    , m_closeCodeWarning(new QLabel(this))
{
    m_url->setObjectName(u"url"_s);
    m_url->setPlaceholderText(tr("ws://host:port/path"));
    m_url->setText(session->settings().url.toString());
    m_url->setClearButtonEnabled(true);
    connect(m_url, &QLineEdit::returnPressed, this, &SessionView::toggleConnection);
    // The request tabs' "Sent as" follows the URL bar as it is edited.
    connect(m_url, &QLineEdit::textChanged, this, [this] {
        m_request->setUrl(QUrl::fromUserInput(m_url->text().trimmed()));
        Q_EMIT titleChanged(title());
    });
    m_connectButton->setObjectName(u"connect"_s);
    m_connectButton->setDefault(true);
    connect(m_connectButton, &QPushButton::clicked, this, &SessionView::toggleConnection);
    m_stateLabel->setObjectName(u"state"_s);
    m_stateLabel->setMinimumWidth(160);

    auto *urlBar = new QHBoxLayout;
    urlBar->addWidget(m_url, 1);
    urlBar->addWidget(m_connectButton);
    urlBar->addWidget(m_stateLabel);

    m_request->setSettings(session->settings());
    m_request->setSession(session);

    m_logView->setObjectName(u"frameLogView"_s);
    m_logView->setLog(session->log());

    m_assertions->setLog(session->log());
    m_stats->setCorrelation(JsonCorrelationKey::fromSetting(session->settings().correlation, nullptr));
    m_stats->setLog(session->log());
    m_statsView->setObjectName(u"statsView"_s);
    m_statsView->setStats(m_stats);
    m_assertionsPanel->setAssertions(m_assertions);
    // Failures name their frame as the log numbers messages: "message 17", not a sequence number.
    m_assertionsPanel->model()->setFrameNamer([model = m_logView->model()](qint64 sequence) {
        return model->eventName(sequence);
    });
    m_assertionsPanel->setObjectName(u"assertionsPanel"_s);
    connect(m_assertionsPanel, &AssertionsPanel::frameRequested, this, &SessionView::showEvent);
    // The log marks the rows assertions failed on. An assertion keeps its first and last failure,
    // and says so at most every update interval: the marks are those it reported.
    connect(m_assertions, &LiveAssertions::changed, this, [this](int index) {
        const LiveAssertion &assertion = m_assertions->at(index);
        for (const std::optional<LiveFailure> &failure : {assertion.firstFailure(), assertion.lastFailure()}) {
            if (failure && failure->sequence >= 0)
                m_logView->model()->markFailed(failure->sequence);
        }
    });

    connect(m_composer, &Composer::sendRequested, this, &SessionView::send);
    // Saved messages are the user's, not one session's: every session shows the same list.
    m_composer->setSavedMessages(loadSavedMessages());
    connect(m_composer, &Composer::savedMessagesChanged, this, [this] {
        storeSavedMessages(m_composer->savedMessages());
    });

    m_closeCode->setObjectName(u"closeCode"_s);
    m_closeCode->setEditable(true);
    m_closeCode->setToolTip(tr("A code from 1000 to 4999, or a standard name"));
    for (int code : {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 4000, 4001})
        m_closeCode->addItem(CloseCodes::label(code), code);
    m_closeCodeWarning->setObjectName(u"closeCodeWarning"_s);
    m_closeCodeWarning->hide();
    connect(m_closeCode, &QComboBox::currentTextChanged, this, &SessionView::checkChosenCloseCode);
    m_closeReason->setObjectName(u"closeReason"_s);
    m_closeReason->setPlaceholderText(tr("close reason"));
    auto *closeButton = new QPushButton(tr("Close"), this);
    closeButton->setObjectName(u"close"_s);
    connect(closeButton, &QPushButton::clicked, this, &SessionView::closeWithChosenCode);
    auto *pingButton = new QPushButton(tr("Ping"), this);
    pingButton->setObjectName(u"ping"_s);
    pingButton->setToolTip(tr("Send a ping and time its pong (Ctrl+P)"));
    connect(pingButton, &QPushButton::clicked, this, &SessionView::sendPing);
    auto *replayButton = new QPushButton(tr("Replay"), this);
    replayButton->setObjectName(u"replay"_s);
    replayButton->setToolTip(tr("Replay this session as a scenario, in a new tab (Ctrl+Shift+R)"));
    connect(replayButton, &QPushButton::clicked, this, &SessionView::replayRequested);

    // Two rows or three where the pane is narrow (two sessions side by side), one where it is wide.
    m_closeCode->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_closeCode->setMinimumContentsLength(14);
    m_closeCodeWarning->setWordWrap(true);
    auto *sessionActions = new QWidget(this);
    auto *sessionActionsLayout = new QHBoxLayout(sessionActions);
    sessionActionsLayout->setContentsMargins(0, 0, 0, 0);
    sessionActionsLayout->addWidget(pingButton);
    sessionActionsLayout->addWidget(replayButton);
    auto *closeControls = new QWidget(this);
    auto *closeControlsLayout = new QHBoxLayout(closeControls);
    closeControlsLayout->setContentsMargins(0, 0, 0, 0);
    closeControlsLayout->addWidget(new QLabel(tr("Close with"), closeControls));
    closeControlsLayout->addWidget(m_closeCode);
    closeControlsLayout->addWidget(m_closeReason, 1);
    closeControlsLayout->addWidget(closeButton);
    auto *closeBar = new FlowLayout;
    closeBar->setSpacing(6);
    closeBar->addWidget(sessionActions);
    closeBar->addWidget(closeControls, 1);
    closeBar->addWidget(m_closeCodeWarning, 1);

    auto *composerPane = new QWidget(this);
    auto *composerLayout = new QVBoxLayout(composerPane);
    composerLayout->setContentsMargins(0, 0, 0, 0);
    composerLayout->addWidget(m_composer, 1);
    composerLayout->addLayout(closeBar);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->setObjectName(u"sessionSplitter"_s);
    // Assertions sit with the request's tabs, as tests do in Postman: the log keeps the width.
    // In a scroll area: its editor's row is wider than half a 1280-pixel window.
    auto *assertionsScroll = new QScrollArea(this);
    assertionsScroll->setObjectName(u"assertionsScroll"_s);
    assertionsScroll->setFrameShape(QFrame::NoFrame);
    assertionsScroll->setWidgetResizable(true);
    assertionsScroll->setWidget(m_assertionsPanel);
    m_request->addTab(assertionsScroll, tr("Assertions"));
    // In a scroll area too: the table and charts must not make the window's least height grow.
    auto *statsScroll = new QScrollArea(this);
    statsScroll->setObjectName(u"statsScroll"_s);
    statsScroll->setFrameShape(QFrame::NoFrame);
    statsScroll->setWidgetResizable(true);
    statsScroll->setWidget(m_statsView);
    m_request->addTab(statsScroll, tr("Stats"));
    splitter->addWidget(m_request);
    splitter->addWidget(m_logView);
    splitter->addWidget(composerPane);
    // The request's tabs and the composer fold away for a tall log; the log itself stays.
    splitter->setCollapsible(0, true);
    splitter->setCollapsible(1, false);
    splitter->setCollapsible(2, true);
    // The request's tabs and the composer get the height they ask for (RequestEditor: its Params
    // table's rows, a few at most); the log gets everything else, now and as the window grows.
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setStretchFactor(2, 0);
    splitter->setSizes({m_request->sizeHint().height(), 1 << 16, composerPane->minimumSizeHint().height()});
    // Every session shares one layout: the last one a user dragged to.
    const QByteArray savedSplitter = QSettings().value(u"session/splitter"_s).toByteArray();
    if (!savedSplitter.isEmpty())
        splitter->restoreState(savedSplitter);
    connect(splitter, &QSplitter::splitterMoved, this, [splitter] {
        QSettings().setValue(u"session/splitter"_s, splitter->saveState());
    });

    // How the last connection ended, where the eye is: under the URL bar, in bold.
    m_closeDisplay->setObjectName(u"closeDisplay"_s);
    m_closeDisplay->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont closeFont = m_closeDisplay->font();
    closeFont.setBold(true);
    m_closeDisplay->setFont(closeFont);
    m_closeDisplay->hide();

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(urlBar);
    layout->addWidget(m_closeDisplay);
    layout->addWidget(splitter, 1);

    connect(session, &Session::stateChanged, this, &SessionView::updateState);
    connect(session, &Session::closed, this, &SessionView::showClose);
    updateState();
}

FrameLogModel *SessionView::logModel() const
{
    return m_logView->model();
}

QString SessionView::title() const
{
    const SessionState state = m_session->state();
    const bool editing = state == SessionState::Idle || state == SessionState::Closed;
    const QUrl url = editing ? QUrl::fromUserInput(m_url->text().trimmed()) : m_session->settings().url;
    const int port = url.port();
    QString title = url.host().isEmpty() ? tr("New session")
                                         : url.host() + (port >= 0 ? u':' + QString::number(port) : QString())
            + url.path();
    const CloseInfo close = m_session->lastClose();
    if (state == SessionState::Closed && url == m_session->settings().url) {
        // A refused upgrade never was a WebSocket: its 1006 would be invented.
        if (close.refused)
            title += close.httpStatus != 0 ? u" · refused · HTTP %1"_s.arg(close.httpStatus) : u" · refused"_s;
        else if (close.code != 0)
            title += u" · "_s + QString::number(close.code);
    }
    return title;
}

void SessionView::applyRequest()
{
    SessionSettings settings = m_request->settings();
    QUrl url = QUrl::fromUserInput(m_url->text().trimmed());
    if (url.scheme() == "http"_L1)
        url.setScheme(u"ws"_s);
    else if (url.scheme() == "https"_L1)
        url.setScheme(u"wss"_s);
    settings.url = url;
    settings.logCapacity = m_session->settings().logCapacity;
    const bool pairingChanged = settings.correlation != m_session->settings().correlation;
    m_session->setSettings(settings);
    if (pairingChanged)  // an invalid pointer pairs as the next message; the field's tooltip says how
        m_stats->setCorrelation(JsonCorrelationKey::fromSetting(settings.correlation, nullptr));
}

void SessionView::toggleConnection()
{
    switch (m_session->state()) {
    case SessionState::Idle:
    case SessionState::Closed:
        applyRequest();
        m_closeDisplay->clear();
        m_closeDisplay->hide();
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

void SessionView::send(const ComposedMessage &message)
{
    switch (message.kind) {
    case ComposedMessage::Text:
        m_session->sendText(message.text);
        break;
    case ComposedMessage::Binary:
        m_session->sendBinary(message.bytes);
        break;
    case ComposedMessage::Ping:
        m_session->ping(message.bytes);
        break;
    }
    m_logView->model()->flush();
}

void SessionView::sendPing()
{
    m_session->ping();
}

std::optional<int> SessionView::chosenCloseCode() const
{
    const int index = m_closeCode->currentIndex();
    if (index >= 0 && m_closeCode->currentText() == m_closeCode->itemText(index))
        return m_closeCode->itemData(index).toInt();
    return CloseCodes::fromString(m_closeCode->currentText().section(u' ', 0, 0));
}

void SessionView::checkChosenCloseCode()
{
    // A warning, not a block: sending a code the RFC forbids is a fair test of a server.
    const std::optional<int> code = chosenCloseCode();
    QString warning;
    if (!code)
        warning = tr("not a close code: 1000 is sent");
    else if (!CloseCodes::canBeSent(*code))
        warning = tr("%1 is never sent in a close frame (RFC 6455 §7.4): a server should treat it "
                     "as a protocol error").arg(*code);
    m_closeCodeWarning->setText(u"<span style='color:%1'>⚠ %2</span>"_s
                                    .arg(ThemeColors::warning(palette()).name(), warning.toHtmlEscaped()));
    m_closeCodeWarning->setToolTip(warning);
    m_closeCodeWarning->setVisible(!warning.isEmpty());
}

void SessionView::closeWithChosenCode()
{
    m_session->close(chosenCloseCode().value_or(1000), m_closeReason->text());
}

void SessionView::updateState()
{
    const SessionState state = m_session->state();
    m_stateLabel->setText(u"<span style='color:%1'>●</span> %2"_s.arg(stateColor(state, palette()),
                                                                       displayName(state)));
    const bool idle = state == SessionState::Idle || state == SessionState::Closed;
    m_connectButton->setText(idle ? tr("Connect") : state == SessionState::Open ? tr("Disconnect") : tr("Cancel"));
    m_connectButton->setToolTip(state == SessionState::Open
                                    ? tr("Close with 1000 Normal Closure (Ctrl+D); \"Close with\" below "
                                         "picks another code and a reason")
                                    : QString());
    m_url->setReadOnly(!idle);
    Q_EMIT titleChanged(title());
    Q_EMIT stateIconChanged(stateIcon());
}

QIcon SessionView::stateIcon() const
{
    const int size = 12;
    QPixmap dot(size, size);
    dot.fill(Qt::transparent);
    QPainter painter(&dot);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(stateColor(m_session->state(), palette())));
    painter.drawEllipse(QRectF(1.5, 1.5, size - 3, size - 3));
    return QIcon(dot);
}

void SessionView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    // The state's dot is coloured text: pick the new theme's shade.
    if (event->type() == QEvent::PaletteChange) {
        updateState();
        checkChosenCloseCode();
    }
}

void SessionView::showClose(const CloseInfo &info)
{
    if (info.refused) {
        m_closeDisplay->setText((info.httpStatus != 0 ? u"Refused · HTTP %1"_s.arg(info.httpStatus) : u"Refused"_s)
                                + u" · the server did not upgrade the connection; the log says why"_s);
        m_closeDisplay->setToolTip(QString());
        m_closeDisplay->show();
        Q_EMIT titleChanged(title());
        Q_EMIT connectionEnded(m_session->settings().url, info);
        return;
    }
    QString text = u"Closed · "_s + CloseCodes::label(info.code);
    if (!info.reason.isEmpty())
        text += u" · \""_s + info.reason + u'"';
    text += u" · by "_s + displayName(info.initiator);
    text += info.clean ? u" · clean"_s : u" · not clean"_s;
    if (info.openDurationMs >= 0)
        text += u" · open for %1 s"_s.arg(info.openDurationMs / 1000.0, 0, 'f', 1);
    m_closeDisplay->setText(text);
    m_closeDisplay->setToolTip(CloseCodes::description(info.code));
    m_closeDisplay->show();
    Q_EMIT titleChanged(title());
    Q_EMIT connectionEnded(m_session->settings().url, info);
}

void SessionView::showEvent(qint64 sequence)
{
    m_logView->model()->flush();
    m_logView->selectSequence(sequence);
}

} // namespace wsprobe
