#pragma once

#include "correlationkey.h"
#include "jsonpointer.h"

#include <memory>

namespace wsprobe {

// A correlation id read from JSON messages at a JSON Pointer ("/id"): a sent message and a
// received one pair when the values there are equal (1 and "1" are not).
class JsonCorrelationKey final : public CorrelationKey
{
public:
    explicit JsonCorrelationKey(JsonPointer pointer) : m_pointer(std::move(pointer)) {}

    // What SessionSettings::correlation and a scenario client's "correlate" hold: "" for "the
    // next message" (null, no error), a JSON Pointer otherwise. Null with *error when it is
    // not a pointer, or is the whole message (the root pointer pairs nothing useful).
    static std::unique_ptr<const CorrelationKey> fromSetting(const QString &setting, QString *error);
    // "" or an error text: whether fromSetting() accepts setting.
    static QString check(const QString &setting);

    std::optional<QString> keyOf(const FrameEvent &event) const override;
    QString toString() const override { return m_pointer.toString(); }

private:
    JsonPointer m_pointer;
};

} // namespace wsprobe
