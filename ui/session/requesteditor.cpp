#include "requesteditor.h"

#include "handshakeview.h"
#include "jsoncorrelationkey.h"
#include "keyvalueeditor.h"
#include "secretmasker.h"
#include "stringlisteditor.h"
#include "themecolors.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpressionValidator>
#include <QScrollArea>
#include <QTabBar>
#include <QSpinBox>
#include <QToolButton>
#include <QUrlQuery>
#include <QVBoxLayout>

#include <climits>
#include <cmath>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

constexpr int JitterDecimals = 1;  // shown as a percentage: 20.0 %

QSpinBox *spinBox(const QString &objectName, const QString &suffix, const QString &special,
                  QWidget *parent)
{
    auto *spin = new QSpinBox(parent);
    spin->setObjectName(objectName);
    spin->setRange(0, INT_MAX);
    spin->setSuffix(suffix);
    spin->setSpecialValueText(special);
    spin->setGroupSeparatorShown(true);
    spin->setAccelerated(true);
    return spin;
}

// A whole number of any size as text: a spin box stops at 2^31.
QLineEdit *countEdit(const QString &objectName, const QString &placeholder, QWidget *parent)
{
    auto *edit = new QLineEdit(parent);
    edit->setObjectName(objectName);
    edit->setPlaceholderText(placeholder);
    edit->setValidator(new QRegularExpressionValidator(QRegularExpression(u"\\d{0,18}"_s), edit));
    return edit;
}

void setCount(QLineEdit *edit, qint64 value)
{
    edit->setText(value > 0 ? QString::number(value) : QString());
}

qint64 countOf(const QLineEdit *edit)
{
    return edit->text().toLongLong();
}

QWidget *withUnit(QWidget *field, const QString &unit, QWidget *parent)
{
    auto *row = new QWidget(parent);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(field, 1);
    auto *label = new QLabel(unit, row);
    label->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(label);
    return row;
}

// A path field with a Browse… button.
QWidget *fileField(QLineEdit *edit, const QString &title, const QString &filter, QWidget *parent)
{
    auto *row = new QWidget(parent);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    edit->setParent(row);
    edit->setClearButtonEnabled(true);
    auto *browse = new QToolButton(row);
    browse->setText(QObject::tr("Browse…"));
    browse->setObjectName(edit->objectName() + u"Browse"_s);
    QObject::connect(browse, &QToolButton::clicked, edit, [edit, title, filter] {
        const QString file = QFileDialog::getOpenFileName(edit->window(), title, edit->text(),
                                                          filter);
        if (!file.isEmpty()) {
            edit->setText(file);
            Q_EMIT edit->textEdited(file);
        }
    });
    layout->addWidget(edit, 1);
    layout->addWidget(browse);
    return row;
}

QFormLayout *formIn(QGroupBox *box)
{
    auto *form = new QFormLayout(box);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
    form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    return form;
}

// Forms stacked in one column share their label width, so that their fields line up.
void alignLabels(std::initializer_list<QFormLayout *> forms)
{
    int width = 0;
    QList<QWidget *> labels;
    for (QFormLayout *form : forms) {
        for (int row = 0; row < form->rowCount(); ++row) {
            if (QLayoutItem *item = form->itemAt(row, QFormLayout::LabelRole)) {
                if (QWidget *label = item->widget()) {
                    labels.append(label);
                    width = std::max(width, label->sizeHint().width());
                }
            }
        }
    }
    for (QWidget *label : std::as_const(labels)) {
        label->setMinimumWidth(width);
        if (auto *text = qobject_cast<QLabel *>(label))
            text->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    }
}

double roundedJitterPercent(double jitter)
{
    const double scale = std::pow(10.0, JitterDecimals);
    return std::round(jitter * 100.0 * scale) / scale;
}

} // namespace

RequestEditor::RequestEditor(QWidget *parent)
    : QTabWidget(parent)
    , m_params(new KeyValueEditor(this))
    , m_headers(new KeyValueEditor(this))
    , m_subprotocols(new StringListEditor(this))
    , m_handshake(new HandshakeView(this))
{
    setObjectName(u"requestTabs"_s);
    setDocumentMode(true);

    m_params->setObjectName(u"paramsEditor"_s);
    m_params->setSecrets(KeyValueModel::Secrets::ParameterNames);
    m_params->setPlaceholders(tr("Parameter"), tr("Value"));
    m_headers->setObjectName(u"headersEditor"_s);
    m_headers->setSecrets(KeyValueModel::Secrets::HeaderNames);
    m_headers->setPlaceholders(tr("Header"), tr("Value"));
    m_subprotocols->setObjectName(u"subprotocolsEditor"_s);
    m_subprotocols->setPlaceholderText(
        tr("Add a subprotocol to offer, e.g. graphql-transport-ws, mqtt, v1.chat"));
    m_handshake->setObjectName(u"handshakeView"_s);

    // Each page gets the same small margin, so the tabs line up.
    auto page = [this](QWidget *content, const QString &hint = {}) {
        auto *widget = new QWidget(this);
        auto *layout = new QVBoxLayout(widget);
        layout->setContentsMargins(6, 6, 6, 6);
        if (!hint.isEmpty()) {
            auto *label = new QLabel(hint, widget);
            label->setWordWrap(true);
            label->setForegroundRole(QPalette::PlaceholderText);
            layout->addWidget(label);
        }
        layout->addWidget(content, 1);
        return widget;
    };
    m_paramsPage = buildParamsTab();
    addTab(m_paramsPage, tr("Params"));
    addTab(page(m_headers, tr("Sent with the upgrade request. Authorization, cookies, tokens and "
                              "keys are masked here and in the log.")),
           tr("Headers"));
    // In a scroll area: the list and its buttons need more height than the compact request
    // area has (see sizeHint()), and would hold the whole area that tall.
    auto *subprotocols = new QScrollArea(this);
    subprotocols->setObjectName(u"subprotocolsScroll"_s);
    subprotocols->setFrameShape(QFrame::NoFrame);
    subprotocols->setWidgetResizable(true);
    subprotocols->setWidget(page(m_subprotocols, tr("Offered in Sec-WebSocket-Protocol, first preferred. The "
                                                    "server picks one; the Handshake tab shows which.")));
    addTab(subprotocols, tr("Subprotocols"));
    addTab(buildSettingsTab(), tr("Settings"));
    addTab(page(m_handshake), tr("Handshake"));

    connect(m_params, &KeyValueEditor::edited, this, &RequestEditor::onEdited);
    connect(m_headers, &KeyValueEditor::edited, this, &RequestEditor::onEdited);
    connect(m_subprotocols, &StringListEditor::edited, this, &RequestEditor::onEdited);

    setSettings({});
}

QSize RequestEditor::sizeHint() const
{
    const QSize all = QTabWidget::sizeHint();
    return {all.width(), std::min(all.height(), tabBar()->sizeHint().height() + m_paramsPage->sizeHint().height())};
}

QWidget *RequestEditor::buildParamsTab()
{
    auto *widget = new QWidget(this);
    auto *layout = new QVBoxLayout(widget);
    layout->setContentsMargins(6, 6, 6, 6);
    m_effectiveUrl = new QLabel(widget);
    m_effectiveUrl->setObjectName(u"effectiveUrl"_s);
    m_effectiveUrl->setWordWrap(true);
    m_effectiveUrl->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_effectiveUrl->setForegroundRole(QPalette::PlaceholderText);
    m_effectiveUrl->setToolTip(tr("The URL bar's query, then the checked rows below"));
    layout->addWidget(m_effectiveUrl);
    layout->addWidget(m_params, 1);
    return widget;
}

QWidget *RequestEditor::buildSettingsTab()
{
    auto *content = new QWidget;

    // Connection
    auto *connection = new QGroupBox(tr("Connection"), content);
    m_connectTimeout = spinBox(u"connectTimeout"_s, tr(" ms"), tr("none"), connection);
    m_connectTimeout->setToolTip(tr("Give up when TCP, TLS and the upgrade take longer"));
    m_origin = new QLineEdit(connection);
    m_origin->setObjectName(u"origin"_s);
    m_origin->setPlaceholderText(tr("not sent"));
    m_autoPing = spinBox(u"autoPingInterval"_s, tr(" ms"), tr("off"), connection);
    m_autoPing->setSingleStep(1000);
    m_autoPing->setToolTip(tr("Send a ping this often while open; each round trip is logged"));
    m_maxMissedPongs = spinBox(u"maxMissedPongs"_s, tr(" unanswered pings"), tr("never"), connection);
    m_maxMissedPongs->setRange(0, 1000);
    m_maxMissedPongs->setToolTip(tr("With auto-ping: log \"no pong for N pings\" after this many "
                                    "pings in a row without a pong"));
    m_closeOnMissedPongs = new QCheckBox(tr("and close (1001)"), connection);
    m_closeOnMissedPongs->setObjectName(u"closeOnMissedPongs"_s);
    auto *missedPongs = new QWidget(connection);
    auto *missedPongsRow = new QHBoxLayout(missedPongs);
    missedPongsRow->setContentsMargins(0, 0, 0, 0);
    missedPongsRow->addWidget(m_maxMissedPongs, 1);
    missedPongsRow->addWidget(m_closeOnMissedPongs);
    // Empty means no limit of wsprobe's own; a server could then cost gigabytes.
    m_maxFrameSize = countEdit(u"maxFrameSize"_s, tr("no limit"), connection);
    m_maxFrameSize->setToolTip(tr("A bigger frame fails the connection with 1009 (default 64 MiB)"));
    m_maxMessageSize = countEdit(u"maxMessageSize"_s, tr("no limit"), connection);
    m_maxMessageSize->setToolTip(tr("A bigger message fails the connection with 1009 (default 64 MiB)"));
    m_logCapacity = countEdit(u"logCapacity"_s, tr("every event"), connection);
    m_logCapacity->setToolTip(tr("Older events are dropped beyond this many"));
    m_correlation = new QLineEdit(connection);
    m_correlation->setObjectName(u"correlation"_s);
    m_correlation->setPlaceholderText(tr("the next message"));
    const QString correlationHint = tr("For the Stats tab's round trips: the JSON Pointer of an id "
                                       "that a message and its answer both carry (\"/id\"); empty: "
                                       "the next message received answers");
    m_correlation->setToolTip(correlationHint);
    // What is not a pointer pairs as "the next message": say so while it is typed.
    connect(m_correlation, &QLineEdit::textChanged, this, [this, correlationHint](const QString &text) {
        const QString problem = JsonCorrelationKey::check(text.trimmed());
        m_correlation->setToolTip(problem.isEmpty()
                                      ? correlationHint
                                      : tr("%1: round trips pair with the next message until it is one").arg(problem));
        m_correlation->setStyleSheet(problem.isEmpty()
                                         ? QString()
                                         : u"color: %1"_s.arg(ThemeColors::failure(palette()).name()));
    });
    QFormLayout *connectionForm = formIn(connection);
    connectionForm->addRow(tr("Connect timeout:"), m_connectTimeout);
    connectionForm->addRow(tr("Origin:"), m_origin);
    connectionForm->addRow(tr("Auto-ping every:"), m_autoPing);
    connectionForm->addRow(tr("Give up after:"), missedPongs);
    connectionForm->addRow(tr("Max incoming frame:"), withUnit(m_maxFrameSize, tr("bytes"), connection));
    connectionForm->addRow(tr("Max incoming message:"),
                           withUnit(m_maxMessageSize, tr("bytes"), connection));
    connectionForm->addRow(tr("Log keeps the last:"), withUnit(m_logCapacity, tr("events"), connection));
    connectionForm->addRow(tr("Pair answers by:"), m_correlation);

    // Reconnect
    m_reconnect = new QGroupBox(tr("Reconnect automatically"), content);
    m_reconnect->setObjectName(u"reconnectEnabled"_s);
    m_reconnect->setCheckable(true);
    m_reconnect->setToolTip(tr("After drops, server closes and failed attempts; never after "
                               "you disconnect"));
    m_maxAttempts = spinBox(u"reconnectMaxAttempts"_s, {}, tr("unlimited"), m_reconnect);
    m_initialDelay = spinBox(u"reconnectInitialDelay"_s, tr(" ms"), {}, m_reconnect);
    m_initialDelay->setSingleStep(100);
    m_maxDelay = spinBox(u"reconnectMaxDelay"_s, tr(" ms"), {}, m_reconnect);
    m_maxDelay->setSingleStep(1000);
    m_jitter = new QDoubleSpinBox(m_reconnect);
    m_jitter->setObjectName(u"reconnectJitter"_s);
    m_jitter->setRange(0, 100);
    m_jitter->setDecimals(JitterDecimals);
    m_jitter->setSuffix(tr(" %"));
    m_jitter->setSingleStep(5);
    m_jitter->setToolTip(tr("Each delay varies by up to this much, so clients do not retry in step"));
    m_resetAfter = spinBox(u"reconnectResetAfter"_s, tr(" ms"), tr("at once"), m_reconnect);
    m_resetAfter->setSingleStep(1000);
    m_resetAfter->setToolTip(tr("A connection that stays open this long starts the count again"));
    QFormLayout *reconnectForm = formIn(m_reconnect);
    reconnectForm->addRow(tr("Attempts:"), m_maxAttempts);
    reconnectForm->addRow(tr("First delay:"), m_initialDelay);
    reconnectForm->addRow(tr("Longest delay:"), m_maxDelay);
    reconnectForm->addRow(tr("Jitter:"), m_jitter);
    reconnectForm->addRow(tr("Stable after:"), m_resetAfter);

    // TLS
    auto *tls = new QGroupBox(tr("TLS (wss://)"), content);
    m_ignoreCertErrors = new QCheckBox(tr("Ignore certificate errors (insecure)"), tls);
    m_ignoreCertErrors->setObjectName(u"tlsIgnoreErrors"_s);
    m_caFile = new QLineEdit;
    m_caFile->setObjectName(u"tlsCaFile"_s);
    m_caFile->setPlaceholderText(tr("system CAs only"));
    m_clientCert = new QLineEdit;
    m_clientCert->setObjectName(u"tlsClientCert"_s);
    m_clientCert->setPlaceholderText(tr("none"));
    m_clientKey = new QLineEdit;
    m_clientKey->setObjectName(u"tlsClientKey"_s);
    m_clientKey->setPlaceholderText(tr("none"));
    const QString pem = tr("PEM files (*.pem *.crt *.cer *.key);;All files (*)");
    QFormLayout *tlsForm = formIn(tls);
    tlsForm->addRow(QString(), m_ignoreCertErrors);
    tlsForm->addRow(tr("CA certificates:"), fileField(m_caFile, tr("CA certificates"), pem, tls));
    tlsForm->addRow(tr("Client certificate:"),
                    fileField(m_clientCert, tr("Client certificate"), pem, tls));
    tlsForm->addRow(tr("Client key:"), fileField(m_clientKey, tr("Client key"), pem, tls));

    // Proxy
    auto *proxy = new QGroupBox(tr("Proxy"), content);
    m_proxyMode = new QComboBox(proxy);
    m_proxyMode->setObjectName(u"proxyMode"_s);
    m_proxyMode->addItem(tr("System settings"), int(ProxySettings::Mode::System));
    m_proxyMode->addItem(tr("No proxy"), int(ProxySettings::Mode::None));
    m_proxyMode->addItem(tr("HTTP"), int(ProxySettings::Mode::Http));
    m_proxyMode->addItem(tr("SOCKS5"), int(ProxySettings::Mode::Socks5));
    m_proxyHost = new QLineEdit(proxy);
    m_proxyHost->setObjectName(u"proxyHost"_s);
    m_proxyHost->setPlaceholderText(tr("host"));
    m_proxyPort = spinBox(u"proxyPort"_s, {}, tr("port"), proxy);
    m_proxyPort->setRange(0, 65535);
    m_proxyPort->setGroupSeparatorShown(false);
    m_proxyUser = new QLineEdit(proxy);
    m_proxyUser->setObjectName(u"proxyUser"_s);
    m_proxyUser->setPlaceholderText(tr("none"));
    m_proxyPassword = new QLineEdit(proxy);
    m_proxyPassword->setObjectName(u"proxyPassword"_s);
    m_proxyPassword->setEchoMode(QLineEdit::Password);
    auto *hostPort = new QWidget(proxy);
    auto *hostPortLayout = new QHBoxLayout(hostPort);
    hostPortLayout->setContentsMargins(0, 0, 0, 0);
    hostPortLayout->addWidget(m_proxyHost, 1);
    hostPortLayout->addWidget(m_proxyPort);
    QFormLayout *proxyForm = formIn(proxy);
    proxyForm->addRow(tr("Use:"), m_proxyMode);
    proxyForm->addRow(tr("Server:"), hostPort);
    proxyForm->addRow(tr("User:"), m_proxyUser);
    proxyForm->addRow(tr("Password:"), m_proxyPassword);

    alignLabels({connectionForm, reconnectForm});
    alignLabels({tlsForm, proxyForm});

    // Two columns: what the connection does, and how it gets there.
    auto *grid = new QGridLayout(content);
    grid->setContentsMargins(6, 6, 6, 6);
    grid->addWidget(connection, 0, 0);
    grid->addWidget(m_reconnect, 1, 0);
    grid->addWidget(tls, 0, 1);
    grid->addWidget(proxy, 1, 1);
    grid->setColumnStretch(0, 1);
    grid->setColumnStretch(1, 1);
    grid->setRowStretch(2, 1);

    for (QSpinBox *spin : {m_connectTimeout, m_autoPing, m_maxMissedPongs, m_maxAttempts, m_initialDelay, m_maxDelay,
                           m_resetAfter, m_proxyPort}) {
        connect(spin, &QSpinBox::valueChanged, this, &RequestEditor::onEdited);
    }
    connect(m_jitter, &QDoubleSpinBox::valueChanged, this, &RequestEditor::onEdited);
    for (QLineEdit *edit : {m_origin, m_maxFrameSize, m_maxMessageSize, m_logCapacity, m_correlation, m_caFile,
                            m_clientCert, m_clientKey, m_proxyHost, m_proxyUser, m_proxyPassword}) {
        connect(edit, &QLineEdit::textChanged, this, &RequestEditor::onEdited);
    }
    connect(m_reconnect, &QGroupBox::toggled, this, &RequestEditor::onEdited);
    connect(m_closeOnMissedPongs, &QCheckBox::toggled, this, &RequestEditor::onEdited);
    connect(m_ignoreCertErrors, &QCheckBox::toggled, this, &RequestEditor::onEdited);
    connect(m_proxyMode, &QComboBox::currentIndexChanged, this, [this] {
        updateProxyFields();
        onEdited();
    });

    m_settingsForm = new QScrollArea(this);
    m_settingsForm->setObjectName(u"settingsForm"_s);
    m_settingsForm->setWidgetResizable(true);
    m_settingsForm->setFrameShape(QFrame::NoFrame);
    m_settingsForm->setWidget(content);
    return m_settingsForm;
}

void RequestEditor::setSettings(const SessionSettings &settings)
{
    const bool wasLoading = std::exchange(m_loading, true);
    m_base = settings;
    m_params->setRows(settings.query);
    m_headers->setRows(settings.headers);
    m_subprotocols->setItems(settings.subprotocols);

    m_connectTimeout->setValue(settings.connectTimeoutMs);
    m_origin->setText(settings.origin);
    m_autoPing->setValue(settings.autoPingIntervalMs);
    m_maxMissedPongs->setValue(settings.maxMissedPongs);
    m_closeOnMissedPongs->setChecked(settings.closeOnMissedPongs);
    setCount(m_maxFrameSize, settings.maxIncomingFrameSize);
    setCount(m_maxMessageSize, settings.maxIncomingMessageSize);
    setCount(m_logCapacity, settings.logCapacity);
    m_correlation->setText(settings.correlation);

    const ReconnectPolicy &reconnect = settings.reconnect;
    m_reconnect->setChecked(reconnect.enabled);
    m_maxAttempts->setValue(reconnect.maxAttempts);
    m_initialDelay->setValue(reconnect.initialDelayMs);
    m_maxDelay->setValue(reconnect.maxDelayMs);
    m_jitter->setValue(roundedJitterPercent(reconnect.jitter));
    m_resetAfter->setValue(reconnect.resetAfterMs);

    m_ignoreCertErrors->setChecked(settings.tls.ignoreCertificateErrors);
    m_caFile->setText(settings.tls.caCertificateFile);
    m_clientCert->setText(settings.tls.clientCertificateFile);
    m_clientKey->setText(settings.tls.clientKeyFile);

    m_proxyMode->setCurrentIndex(m_proxyMode->findData(int(settings.proxy.mode)));
    m_proxyHost->setText(settings.proxy.host);
    m_proxyPort->setValue(settings.proxy.port);
    m_proxyUser->setText(settings.proxy.user);
    m_proxyPassword->setText(settings.proxy.password);
    updateProxyFields();

    m_loading = wasLoading;
    updateTitles();
    updateEffectiveUrl();
}

SessionSettings RequestEditor::settings() const
{
    SessionSettings settings = m_base;
    settings.query = m_params->rows();
    settings.headers = m_headers->rows();
    settings.subprotocols = m_subprotocols->items();

    settings.connectTimeoutMs = m_connectTimeout->value();
    settings.origin = m_origin->text();
    settings.autoPingIntervalMs = m_autoPing->value();
    settings.maxMissedPongs = m_maxMissedPongs->value();
    settings.closeOnMissedPongs = m_closeOnMissedPongs->isChecked();
    settings.maxIncomingFrameSize = countOf(m_maxFrameSize);
    settings.maxIncomingMessageSize = countOf(m_maxMessageSize);
    settings.logCapacity = qsizetype(countOf(m_logCapacity));
    settings.correlation = m_correlation->text().trimmed();

    ReconnectPolicy &reconnect = settings.reconnect;
    reconnect.enabled = m_reconnect->isChecked();
    reconnect.maxAttempts = m_maxAttempts->value();
    reconnect.initialDelayMs = m_initialDelay->value();
    reconnect.maxDelayMs = m_maxDelay->value();
    // The spin box shows a rounded percentage: an untouched one keeps the exact fraction.
    if (m_jitter->value() != roundedJitterPercent(m_base.reconnect.jitter))
        reconnect.jitter = m_jitter->value() / 100.0;
    reconnect.resetAfterMs = m_resetAfter->value();

    settings.tls.ignoreCertificateErrors = m_ignoreCertErrors->isChecked();
    settings.tls.caCertificateFile = m_caFile->text();
    settings.tls.clientCertificateFile = m_clientCert->text();
    settings.tls.clientKeyFile = m_clientKey->text();

    settings.proxy.mode = ProxySettings::Mode(m_proxyMode->currentData().toInt());
    settings.proxy.host = m_proxyHost->text();
    settings.proxy.port = quint16(m_proxyPort->value());
    settings.proxy.user = m_proxyUser->text();
    settings.proxy.password = m_proxyPassword->text();
    return settings;
}

void RequestEditor::setUrl(const QUrl &url)
{
    m_base.url = url;
    updateEffectiveUrl();
}

void RequestEditor::setSession(Session *session)
{
    m_handshake->setSession(session);
}

void RequestEditor::setVariables(const Variables *variables)
{
    m_params->setVariables(variables);
    m_headers->setVariables(variables);
}

QUrl RequestEditor::mergeQuery(const QUrl &url, const QList<KeyValue> &rows)
{
    SessionSettings settings;
    settings.url = url;
    settings.query = rows;
    return settings.effectiveUrl();
}

std::pair<QUrl, QList<KeyValue>> RequestEditor::splitQuery(const QUrl &url)
{
    QList<KeyValue> rows;
    const QUrlQuery query(url);
    const auto items = query.queryItems(QUrl::FullyDecoded);
    for (const auto &item : items)
        rows.append({item.first, item.second, true});
    QUrl bare = url;
    bare.setQuery(QString());
    return {bare, rows};
}

void RequestEditor::onEdited()
{
    if (m_loading)
        return;
    updateTitles();
    updateEffectiveUrl();
    Q_EMIT settingsChanged();
}

void RequestEditor::updateTitles()
{
    // Postman's habit: a tab says how many of its rows are sent.
    auto title = [](const QString &name, int count) {
        return count > 0 ? u"%1 (%2)"_s.arg(name).arg(count) : name;
    };
    setTabText(ParamsTab, title(tr("Params"), m_params->model()->activeCount()));
    setTabText(HeadersTab, title(tr("Headers"), m_headers->model()->activeCount()));
    setTabText(SubprotocolsTab, title(tr("Subprotocols"), int(m_subprotocols->items().size())));
}

void RequestEditor::updateEffectiveUrl()
{
    if (!m_effectiveUrl)
        return;
    const QUrl url = mergeQuery(m_base.url, m_params->rows());
    if (url.isEmpty()) {
        m_effectiveUrl->setText(tr("Checked rows are appended to the URL's query."));
        return;
    }
    // Encoded as it goes on the wire ("lobby 1&x" is lobby%201%26x), but with {{variables}}
    // legible instead of %7B%7B...%7D%7D: they are replaced before anything is sent.
    QUrl masked(SecretMasker::maskUrl(url));
    const QString shown = masked.toString(QUrl::FullyEncoded)
                              .replace(u"%7B%7B"_s, u"{{"_s)
                              .replace(u"%7D%7D"_s, u"}}"_s);
    m_effectiveUrl->setText(tr("Sent as: %1").arg(shown));
}

void RequestEditor::updateProxyFields()
{
    const auto mode = ProxySettings::Mode(m_proxyMode->currentData().toInt());
    const bool manual = mode == ProxySettings::Mode::Http || mode == ProxySettings::Mode::Socks5;
    for (QWidget *field : {static_cast<QWidget *>(m_proxyHost), static_cast<QWidget *>(m_proxyPort),
                           static_cast<QWidget *>(m_proxyUser),
                           static_cast<QWidget *>(m_proxyPassword)}) {
        field->setEnabled(manual);
    }
}

} // namespace wsprobe
