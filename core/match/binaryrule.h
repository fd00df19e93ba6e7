#pragma once

#include "matchrule.h"

#include <QByteArray>

#include <memory>

namespace wsprobe {

class SpecReader;

// A binary message equals some bytes, written in hex or in base64.
class BinaryRule : public MatchRule
{
public:
    // {"binary": "de ad be ef"} (whitespace anywhere), {"binaryBase64": "3q2+7w=="}.
    static std::shared_ptr<const MatchRule> fromSpec(MatchKind kind, SpecReader &reader);

    MatchKind kind() const override { return m_kind; }
    MatchResult match(MessageView &message) const override;
    QJsonObject toJson() const override;
    QString describe() const override;
    bool equals(const MatchRule &other) const override;

private:
    BinaryRule(MatchKind kind, QByteArray bytes);

    QString shown(QByteArrayView data) const;  // hex or base64, as the spec was written

    MatchKind m_kind;
    QByteArray m_bytes;
    QString m_expected;
};

} // namespace wsprobe
