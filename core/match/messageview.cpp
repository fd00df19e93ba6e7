#include "messageview.h"

#include "jsontext.h"
#include "preview.h"

using namespace Qt::StringLiterals;

namespace wsprobe {

const QJsonValue *MessageView::json()
{
    parse();
    return m_isJson ? &m_json : nullptr;
}

const QString &MessageView::jsonError()
{
    parse();
    return m_jsonError;
}

const QString &MessageView::jsonPreview()
{
    if (!m_jsonPreview) {
        if (const QJsonValue *value = json())
            m_jsonPreview = JsonText::compactPreview(*value, 200);
        else if (m_event.kind == EventKind::Text)
            m_jsonPreview = Preview::quoted(m_event.text);
        else
            m_jsonPreview = Preview::event(m_event);
    }
    return *m_jsonPreview;
}

void MessageView::parse()
{
    if (m_parsed)
        return;
    m_parsed = true;
    std::optional<QJsonValue> value;
    switch (m_event.kind) {
    case EventKind::Text:
        value = JsonText::parse(m_event.text.toUtf8(), &m_jsonError);
        break;
    case EventKind::Binary:
        value = JsonText::parse(m_event.data, &m_jsonError);
        break;
    default:
        m_jsonError = u"not a message"_s;
        return;
    }
    if (value) {
        m_json = std::move(*value);
        m_isJson = true;
    }
}

} // namespace wsprobe
