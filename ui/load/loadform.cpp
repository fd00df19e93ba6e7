#include "loadform.h"

#include "loadreport.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTextDocument>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

constexpr int MaxUsers = 100'000;
constexpr int MaxIterations = 1'000'000;

QString durationText(qint64 ms)
{
    return ms == 0 ? u"0s"_s : LoadReport::formatDurationMs(ms);
}

// The duration a field holds, or nullopt with *error naming the field.
std::optional<qint64> readDuration(const QLineEdit *field, const QString &name, bool positive, QString *error)
{
    const QString text = field->text().trimmed();
    const std::optional<qint64> ms = LoadProfile::parseDuration(text);
    if (!ms || (positive && *ms <= 0)) {
        *error = QObject::tr("%1: \"%2\" is not a duration such as 10s, 500ms or 2m%3")
                     .arg(name, text, positive ? QObject::tr(", above 0") : QString());
        return std::nullopt;
    }
    return ms;
}

} // namespace

LoadForm::LoadForm(QWidget *parent)
    : QWidget(parent), m_path(new QLineEdit(this)), m_browse(new QPushButton(tr("Browse…"), this)),
      m_users(new QSpinBox(this)), m_rampUp(new QLineEdit(this)), m_duration(new QLineEdit(this)),
      m_iterations(new QSpinBox(this)), m_think(new QLineEdit(this)), m_thresholds(new QPlainTextEdit(this))
{
    m_path->setObjectName(u"loadScenarioPath"_s);
    m_path->setPlaceholderText(tr("A scenario file (*.json) to run as many users"));
    m_path->setClearButtonEnabled(true);
    m_browse->setObjectName(u"loadBrowse"_s);
    m_users->setObjectName(u"loadUsers"_s);
    m_users->setRange(1, MaxUsers);
    m_users->setToolTip(tr("Virtual users at once (--users)"));
    m_rampUp->setObjectName(u"loadRampUp"_s);
    m_rampUp->setToolTip(tr("The time over which the users start, evenly, the first at once (--ramp)"));
    m_duration->setObjectName(u"loadDuration"_s);
    m_duration->setToolTip(tr("How long the load lasts after the ramp-up (--duration); an "
                              "iteration under way at the end finishes"));
    m_iterations->setObjectName(u"loadIterations"_s);
    m_iterations->setRange(0, MaxIterations);
    m_iterations->setSpecialValueText(tr("no limit"));
    m_iterations->setToolTip(tr("Iterations each user runs, at most (--iterations); no limit: until "
                                "the duration ends"));
    m_think->setObjectName(u"loadThinkTime"_s);
    m_think->setToolTip(tr("The pause between a user's iterations (--think)"));
    for (QLineEdit *field : {m_rampUp, m_duration, m_think}) {
        field->setMaximumWidth(fontMetrics().horizontalAdvance(u"00000ms"_s) + 16);
        field->setPlaceholderText(u"10s"_s);
    }
    m_thresholds->setObjectName(u"loadThresholds"_s);
    m_thresholds->setPlaceholderText(u"p95<200\nerrors<1%"_s);
    m_thresholds->setToolTip(tr("One threshold a line, checked at the end: p95<200, connect p99<500, "
                                "errors<1%, rate>100, iterations>=1000 (docs/load.md)"));
    m_thresholds->setTabChangesFocus(true);
    // Four lines without a scroll bar: the frame and the document's margins come on top.
    m_thresholds->setFixedHeight(fontMetrics().lineSpacing() * 4 + 2 * m_thresholds->frameWidth()
                                 + 2 * int(m_thresholds->document()->documentMargin()) + 4);
    m_thresholds->setMinimumWidth(fontMetrics().horizontalAdvance(u"connect p99<500ms"_s) + 30);

    auto *grid = new QGridLayout;
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addWidget(new QLabel(tr("Scenario"), this), 0, 0);
    auto *pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(m_browse);
    grid->addLayout(pathRow, 0, 1);
    auto *fields = new QHBoxLayout;
    const auto addField = [this, fields](const QString &label, QWidget *field) {
        auto *name = new QLabel(label, this);
        name->setBuddy(field);
        fields->addWidget(name);
        fields->addWidget(field);
        fields->addSpacing(10);
    };
    addField(tr("&Users"), m_users);
    addField(tr("&Ramp-up"), m_rampUp);
    addField(tr("&Duration"), m_duration);
    addField(tr("&Iterations"), m_iterations);
    addField(tr("Thin&k time"), m_think);
    fields->addStretch(1);
    grid->addLayout(fields, 1, 1);
    grid->setColumnStretch(1, 1);

    auto *thresholds = new QVBoxLayout;
    thresholds->setSpacing(2);
    auto *thresholdsLabel = new QLabel(tr("&Thresholds (one a line)"), this);
    thresholdsLabel->setBuddy(m_thresholds);
    thresholds->addWidget(thresholdsLabel);
    thresholds->addWidget(m_thresholds);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(grid, 1);
    layout->addSpacing(12);
    layout->addLayout(thresholds);

    connect(m_browse, &QPushButton::clicked, this, &LoadForm::browse);
    connect(m_path, &QLineEdit::editingFinished, this, [this] {
        if (m_path->isModified()) {
            m_path->setModified(false);
            Q_EMIT scenarioPathChosen(scenarioPath());
        }
    });
    setProfile(LoadProfile{});
}

QString LoadForm::scenarioPath() const
{
    return m_path->text().trimmed();
}

void LoadForm::setScenarioPath(const QString &path)
{
    m_path->setText(path);
    m_path->setModified(false);
}

void LoadForm::setProfile(const LoadProfile &profile)
{
    m_kept = profile;
    m_users->setValue(profile.users);
    m_rampUp->setText(durationText(profile.rampUpMs));
    m_duration->setText(durationText(profile.durationMs));
    m_iterations->setValue(profile.iterations);
    m_think->setText(durationText(profile.thinkTimeMs));
    QStringList lines;
    for (const LoadThresholdText &threshold : profile.thresholds)
        lines.append(threshold.text);
    m_thresholds->setPlainText(lines.join(u'\n'));
}

std::optional<LoadProfile> LoadForm::profile(QString *error) const
{
    LoadProfile profile = m_kept;
    profile.users = m_users->value();
    profile.iterations = m_iterations->value();
    const std::optional<qint64> rampUp = readDuration(m_rampUp, tr("Ramp-up"), false, error);
    if (!rampUp)
        return std::nullopt;
    const std::optional<qint64> duration = readDuration(m_duration, tr("Duration"), true, error);
    if (!duration)
        return std::nullopt;
    const std::optional<qint64> think = readDuration(m_think, tr("Think time"), false, error);
    if (!think)
        return std::nullopt;
    profile.rampUpMs = *rampUp;
    profile.durationMs = *duration;
    profile.thinkTimeMs = *think;
    profile.thresholds.clear();
    for (const QString &line : m_thresholds->toPlainText().split(u'\n')) {
        if (!line.trimmed().isEmpty())
            profile.thresholds.append({line.trimmed(), {}});
    }
    return profile;
}

std::optional<QList<LoadThreshold>> LoadForm::thresholds(QString *error) const
{
    QList<LoadThreshold> thresholds;
    const QStringList lines = m_thresholds->toPlainText().split(u'\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString text = lines[i].trimmed();
        if (text.isEmpty())
            continue;
        QString why;
        int column = 0;
        const std::optional<LoadThreshold> threshold = LoadThreshold::parse(text, &why, &column);
        if (!threshold) {
            *error = tr("Thresholds, line %1: bad threshold \"%2\" (at character %3): %4")
                         .arg(i + 1).arg(text).arg(column).arg(why);
            return std::nullopt;
        }
        thresholds.append(*threshold);
    }
    return thresholds;
}

void LoadForm::setEditable(bool editable)
{
    for (QWidget *field : std::initializer_list<QWidget *>{m_path, m_browse, m_users, m_rampUp, m_duration,
                                                           m_iterations, m_think})
        field->setEnabled(editable);
    m_thresholds->setReadOnly(!editable);
}

void LoadForm::setUsers(int users)
{
    m_users->setValue(users);
}

void LoadForm::setRampUp(const QString &text)
{
    m_rampUp->setText(text);
}

void LoadForm::setDuration(const QString &text)
{
    m_duration->setText(text);
}

void LoadForm::setIterations(int iterations)
{
    m_iterations->setValue(iterations);
}

void LoadForm::setThinkTime(const QString &text)
{
    m_think->setText(text);
}

void LoadForm::setThresholds(const QStringList &lines)
{
    m_thresholds->setPlainText(lines.join(u'\n'));
}

void LoadForm::browse()
{
    const QString start = scenarioPath().isEmpty() ? QString() : QFileInfo(scenarioPath()).absolutePath();
    const QString path = QFileDialog::getOpenFileName(this, tr("Scenario to run as load"), start,
                                                      tr("Scenarios (*.json)"));
    if (path.isEmpty())
        return;
    setScenarioPath(path);
    Q_EMIT scenarioPathChosen(path);
}

} // namespace wsprobe
