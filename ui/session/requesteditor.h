#pragma once

#include "sessionsettings.h"

#include <QTabWidget>

#include <utility>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QScrollArea;
class QSpinBox;

namespace wsprobe {

class HandshakeView;
class KeyValueEditor;
class Session;
class StringListEditor;
class Variables;

// Everything about a connection except its URL, in Postman's tabs: Params, Headers,
// Subprotocols, Settings (timeouts, auto-ping, reconnect, size limits, TLS, proxy) and the
// Handshake as last sent and answered. Edits a SessionSettings value; the window applies it.
//
// Params and the URL's query: SessionSettings keeps the query typed in the URL bar apart from
// the Params rows, and effectiveUrl() appends the enabled rows to it. We keep them apart rather
// than syncing both ways as Postman does: rows can be disabled, repeated and hold {{variables}},
// which a URL cannot say, so a two-way sync would lose or reorder them. For the Postman habit of
// pasting a URL with a query, the window may call splitQuery() and append the rows it returns;
// the Params tab always shows the URL as it will be sent (mergeQuery()).
class RequestEditor : public QTabWidget
{
    Q_OBJECT

public:
    enum Tab { ParamsTab, HeadersTab, SubprotocolsTab, SettingsTab, HandshakeTab };

    explicit RequestEditor(QWidget *parent = nullptr);

    // As tall as the Params tab needs (its table asks for its rows, a few at most), not as the
    // tallest tab: the log below gets the rest of the session's height.
    QSize sizeHint() const override;

    // Shows settings; emits nothing. settings() gives back exactly what was set until edited.
    void setSettings(const SessionSettings &settings);
    SessionSettings settings() const;
    // The URL from the URL bar: used for the "sent as" line and returned by settings().url.
    void setUrl(const QUrl &url);

    // Not owned; may be null. The Handshake tab follows this session's log.
    void setSession(Session *session);
    // Not owned; may be null. Expands {{variables}} in tooltips of params and headers.
    void setVariables(const Variables *variables);

    KeyValueEditor *paramsEditor() const { return m_params; }
    KeyValueEditor *headersEditor() const { return m_headers; }
    StringListEditor *subprotocolsEditor() const { return m_subprotocols; }
    HandshakeView *handshakeView() const { return m_handshake; }

    // url with the enabled rows that have a key appended to its own query (as sent).
    static QUrl mergeQuery(const QUrl &url, const QList<KeyValue> &rows);
    // url without its query, and the query's items as enabled rows, in order.
    static std::pair<QUrl, QList<KeyValue>> splitQuery(const QUrl &url);

Q_SIGNALS:
    // The user changed a setting (not emitted by setSettings() or setUrl()).
    void settingsChanged();

private:
    QWidget *buildParamsTab();
    QWidget *m_paramsPage = nullptr;
    QWidget *buildSettingsTab();
    void onEdited();
    void updateTitles();
    void updateEffectiveUrl();
    void updateProxyFields();

    SessionSettings m_base;          // what setSettings() gave; fields not edited here come from it
    bool m_loading = false;

    KeyValueEditor *m_params;
    KeyValueEditor *m_headers;
    StringListEditor *m_subprotocols;
    HandshakeView *m_handshake;
    QLabel *m_effectiveUrl = nullptr;

    QScrollArea *m_settingsForm = nullptr;
    QSpinBox *m_connectTimeout = nullptr;
    QLineEdit *m_origin = nullptr;
    QSpinBox *m_autoPing = nullptr;
    QSpinBox *m_maxMissedPongs = nullptr;
    QCheckBox *m_closeOnMissedPongs = nullptr;
    QLineEdit *m_maxFrameSize = nullptr;
    QLineEdit *m_maxMessageSize = nullptr;
    QLineEdit *m_logCapacity = nullptr;
    QLineEdit *m_correlation = nullptr;
    QGroupBox *m_reconnect = nullptr;
    QSpinBox *m_maxAttempts = nullptr;
    QSpinBox *m_initialDelay = nullptr;
    QSpinBox *m_maxDelay = nullptr;
    QDoubleSpinBox *m_jitter = nullptr;
    QSpinBox *m_resetAfter = nullptr;
    QCheckBox *m_ignoreCertErrors = nullptr;
    QLineEdit *m_caFile = nullptr;
    QLineEdit *m_clientCert = nullptr;
    QLineEdit *m_clientKey = nullptr;
    QComboBox *m_proxyMode = nullptr;
    QLineEdit *m_proxyHost = nullptr;
    QSpinBox *m_proxyPort = nullptr;
    QLineEdit *m_proxyUser = nullptr;
    QLineEdit *m_proxyPassword = nullptr;
};

} // namespace wsprobe
