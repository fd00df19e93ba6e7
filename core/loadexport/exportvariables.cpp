#include "exportvariables.h"

#include "scenario.h"
#include "secretmasker.h"
#include "variablesyntax.h"

namespace wsprobe {

namespace {
// A value made of variables made of variables ... stops here (a cycle would never end).
constexpr int MaxSpliceDepth = 8;
} // namespace

ExportVariables::ExportVariables(const Scenario &scenario, const QMap<QString, QString> &given)
    : m_known(scenario.variables)
{
    for (auto it = given.begin(); it != given.end(); ++it)
        m_known.insert(it.key(), it.value());
    for (const Step &step : scenario.steps) {
        if (step.type == Step::Type::Capture)
            m_captured.insert(step.variable);
    }
}

QList<ExportVariables::Part> ExportVariables::parts(QStringView text)
{
    QList<Part> out;
    append(text, 0, &out);
    return out;
}

bool ExportVariables::isLiteral(const QList<Part> &parts)
{
    for (const Part &part : parts) {
        if (part.kind != Part::Literal)
            return false;
    }
    return true;
}

void ExportVariables::append(QStringView text, int depth, QList<Part> *out)
{
    const auto add = [out](Part::Kind kind, const QString &value) {
        if (kind == Part::Literal && !out->isEmpty() && out->last().kind == Part::Literal)
            out->last().text += value;
        else if (kind != Part::Literal || !value.isEmpty())
            out->append(Part{kind, value});
    };
    const QList<VariableSyntax::Segment> segments = VariableSyntax::split(text);
    for (const VariableSyntax::Segment &segment : segments) {
        if (segment.kind != VariableSyntax::Segment::Reference) {
            add(Part::Literal, segment.kind == VariableSyntax::Segment::Literal ? segment.text
                                                                                : segment.source);
            continue;
        }
        const QString &name = segment.text;
        if (m_captured.contains(name)) {
            add(Part::Captured, name);
            continue;
        }
        const auto known = m_known.constFind(name);
        // A secret's value never enters a script, whoever gave it.
        if (known == m_known.constEnd() || SecretMasker::isSecretParameter(name)) {
            if (!m_environment.contains(name))
                m_environment.append(name);
            add(Part::Environment, name);
            continue;
        }
        if (!VariableSyntax::referencedNames(*known).isEmpty() && depth < MaxSpliceDepth) {
            append(*known, depth + 1, out);
            continue;
        }
        m_used.insert(name, *known);
        add(Part::Value, name);
    }
}

} // namespace wsprobe
