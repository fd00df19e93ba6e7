#include "loadview.h"

#include "loaddata.h"
#include "loadfigures.h"
#include "loadform.h"
#include "loadreport.h"
#include "loadrunner.h"
#include "loadsummarymodel.h"
#include "scenarioloader.h"
#include "themecolors.h"
#include "timeserieschart.h"

#include <QEvent>
#include <QFileDialog>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QStyle>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace wsprobe {

LoadView::LoadView(QWidget *parent)
    : QWidget(parent), m_form(new LoadForm(this)), m_start(new QPushButton(tr("&Start"), this)),
      m_stop(new QPushButton(tr("Sto&p"), this)), m_export(new QPushButton(tr("Export…"), this)), m_status(new QLabel(this)), m_firstFailure(new QLabel(this)),
      m_figures(new LoadFigures(this)),
      m_chart(new TimeSeriesChart(tr("Users and round trip p95, by seconds since the start"), u"%.0f"_s, this)),
      m_summary(new LoadSummaryModel(this)), m_table(new QTableView(this))
{
    m_start->setObjectName(u"loadStart"_s);
    m_start->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    m_start->setToolTip(tr("Run the scenario as the users above (the file is read again)"));
    m_stop->setObjectName(u"loadStop"_s);
    m_stop->setIcon(style()->standardIcon(QStyle::SP_MediaStop));
    m_stop->setToolTip(tr("Start no more iterations, cancel those under way, show the summary"));
    m_stop->setEnabled(false);
    m_export->setObjectName(u"loadExport"_s);
    m_export->setToolTip(tr("Save the summary as JSON or CSV"));
    m_export->setEnabled(false);
    m_status->setObjectName(u"loadStatus"_s);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_firstFailure->setObjectName(u"loadFirstFailure"_s);
    m_firstFailure->setWordWrap(true);
    m_firstFailure->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_firstFailure->hide();

    m_chart->setObjectName(u"loadChart"_s);
    m_p95Series = m_chart->addSeries(tr("round trip p95 (ms)"), u"%.3g"_s);
    m_usersSeries = m_chart->addSeries(tr("users"), u"%d"_s);

    m_table->setObjectName(u"loadSummary"_s);
    m_table->setModel(m_summary);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setSectionResizeMode(LoadSummaryModel::FigureColumn, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->setAlternatingRowColors(true);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_start);
    bar->addWidget(m_stop);
    bar->addSpacing(8);
    bar->addWidget(m_status, 1);
    bar->addWidget(m_export);

    auto *line = new QFrame(this);
    line->setFrameShape(QFrame::HLine);
    line->setFrameShadow(QFrame::Sunken);

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->setObjectName(u"loadSplitter"_s);
    split->setChildrenCollapsible(false);
    split->addWidget(m_chart);
    split->addWidget(m_table);
    split->setStretchFactor(0, 5);
    split->setStretchFactor(1, 6);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_form);
    layout->addLayout(bar);
    layout->addWidget(m_firstFailure);
    layout->addWidget(line);
    layout->addWidget(m_figures);
    layout->addWidget(split, 1);

    connect(m_start, &QPushButton::clicked, this, &LoadView::start);
    connect(m_stop, &QPushButton::clicked, this, &LoadView::stop);
    connect(m_export, &QPushButton::clicked, this, &LoadView::exportWithDialog);
    connect(m_form, &LoadForm::scenarioPathChosen, this, &LoadView::openScenario);
    m_timer.setInterval(DefaultRefreshMs);
    connect(&m_timer, &QTimer::timeout, this, &LoadView::refresh);
    setStatus(tr("Pick a scenario, set the load, press Start."), Tone::Plain);
}

LoadView::~LoadView()
{
    m_timer.stop();
    if (m_runner) {
        // Nothing it says from here on reaches a view half taken down.
        disconnect(m_runner.get(), nullptr, this, nullptr);
        m_runner.reset();
    }
}

QString LoadView::title() const
{
    return m_hasScenario ? tr("Load: %1").arg(m_scenario.name) : tr("Load");
}

void LoadView::setVariablesSource(VariablesSource source)
{
    m_variablesSource = std::move(source);
}

bool LoadView::openScenario(const QString &path)
{
    m_form->setScenarioPath(path);
    const ScenarioLoader::Result loaded = ScenarioLoader::loadFile(path);
    if (!loaded.scenario) {
        setStatus(loaded.errorText(), Tone::Bad);
        return false;
    }
    m_scenario = *loaded.scenario;
    m_hasScenario = true;
    if (m_scenario.load) {
        m_form->setProfile(*m_scenario.load);
        setStatus(tr("%1: the fields are its load block's.").arg(m_scenario.name), Tone::Plain);
    } else {
        setStatus(tr("%1 has no load block: the fields are yours.").arg(m_scenario.name), Tone::Plain);
    }
    Q_EMIT titleChanged(title());
    return true;
}

bool LoadView::start()
{
    if (isRunning())
        return false;
    const QString path = m_form->scenarioPath();
    if (path.isEmpty()) {
        setStatus(tr("Pick a scenario file first."), Tone::Bad);
        return false;
    }
    // Read again: the file may have been edited since the tab read it.
    const ScenarioLoader::Result loaded = ScenarioLoader::loadFile(path);
    if (!loaded.scenario) {
        setStatus(loaded.errorText(), Tone::Bad);
        return false;
    }
    QString error;
    const std::optional<LoadProfile> profile = m_form->profile(&error);
    if (!profile) {
        setStatus(error, Tone::Bad);
        return false;
    }
    const std::optional<QList<LoadThreshold>> thresholds = m_form->thresholds(&error);
    if (!thresholds) {
        setStatus(error, Tone::Bad);
        return false;
    }
    LoadData data;
    if (!profile->dataFile.isEmpty() && !data.load(profile->dataFile, &error)) {
        setStatus(tr("The data file: %1").arg(error), Tone::Bad);
        return false;
    }
    const bool renamed = !m_hasScenario || m_scenario.name != loaded.scenario->name;
    m_scenario = *loaded.scenario;
    m_hasScenario = true;
    if (renamed)
        Q_EMIT titleChanged(title());
    m_profile = *profile;
    m_thresholds = *thresholds;

    if (m_runner)
        disconnect(m_runner.get(), nullptr, this, nullptr);
    m_runVariables = m_variablesSource ? m_variablesSource() : Variables();
    m_runner = std::make_unique<LoadRunner>(m_scenario, m_runVariables, m_profile);
    m_runner->setData(data);
    connect(m_runner.get(), &LoadRunner::finished, this, &LoadView::onFinished);
    m_timeline.clear();
    m_summary->clear();
    m_firstFailure->hide();
    m_stopRequested = false;
    // The frame the lines grow into: the planned users, and the planned time when it is known.
    m_chart->setMinimumTop(m_usersSeries, m_profile.users);
    m_chart->setMinimumSeconds(m_profile.iterations > 0 && m_profile.arrivalRate <= 0
                                   ? 0 : double(m_profile.rampUpMs + m_profile.durationMs) / 1000);
    m_chart->setPoints(m_p95Series, {});
    m_chart->setPoints(m_usersSeries, {});
    setStatus(tr("Running %1: %2.").arg(m_scenario.name, LoadReport::shape(m_profile)), Tone::Plain);
    setRunning(true);
    m_runner->start();
    if (m_runner->isRunning()) {
        refresh();
        m_timer.start();
    }
    return true;
}

void LoadView::stop()
{
    if (!isRunning())
        return;
    m_stopRequested = true;
    setStatus(tr("Stopping: cancelling the iterations under way…"), Tone::Plain);
    m_runner->stop();
}

bool LoadView::isRunning() const
{
    return m_runner && m_runner->isRunning();
}

void LoadView::setRefreshInterval(int ms)
{
    m_timer.setInterval(qMax(ms, 100));
}

QString LoadView::statusText() const
{
    return m_status->text();
}

void LoadView::setStatus(const QString &text, Tone tone)
{
    m_status->setText(text);
    m_tone = tone;
    recolor();
}

void LoadView::recolor()
{
    const QPalette base = palette();
    QPalette status = m_status->palette();
    status.setColor(QPalette::WindowText, m_tone == Tone::Bad    ? ThemeColors::failure(base)
                                          : m_tone == Tone::Good ? ThemeColors::success(base)
                                                                 : base.color(QPalette::WindowText));
    m_status->setPalette(status);
    QPalette failure = m_firstFailure->palette();
    failure.setColor(QPalette::WindowText, ThemeColors::failure(base));
    m_firstFailure->setPalette(failure);
}

void LoadView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    // Another theme: the meaningful colours in the new palette's shades.
    if (event->type() == QEvent::PaletteChange)
        recolor();
}

void LoadView::refresh()
{
    if (!m_runner)
        return;
    ++m_refreshes;
    const bool final = !m_runner->isRunning();
    const LoadSummary summary = m_runner->summary();
    const int active = m_runner->activeUsers();
    m_timeline.add(summary, active, final);

    LoadFigures::Snapshot snapshot;
    snapshot.activeUsers = active;
    snapshot.plannedUsers = m_profile.users;
    snapshot.plannedMs = m_profile.rampUpMs + m_profile.durationMs;
    if (final) {
        // The whole run's rates, as the summary says them.
        snapshot.messagesInPerSecond = summary.perSecond(summary.messagesIn);
        snapshot.messagesOutPerSecond = summary.perSecond(summary.messagesOut);
    } else {
        snapshot.messagesInPerSecond = m_timeline.messagesInPerSecond();
        snapshot.messagesOutPerSecond = m_timeline.messagesOutPerSecond();
    }
    m_figures->setFigures(summary, snapshot);

    // The chart starts at (0, 0): before the first second nobody ran yet.
    QList<QPointF> users{{0, 0}};
    QList<QPointF> p95;
    for (const LoadTimeline::Point &point : m_timeline.points()) {
        users.append({point.seconds, double(point.users)});
        if (point.roundTripP95Ns >= 0)
            p95.append({point.seconds, double(point.roundTripP95Ns) / 1e6});
    }
    m_chart->setPoints(m_usersSeries, users);
    m_chart->setPoints(m_p95Series, p95);

    m_summary->setSummary(m_scenario.name, m_profile, summary, LoadReport::evaluate(m_thresholds, summary), final);
}

void LoadView::onFinished()
{
    m_timer.stop();
    refresh();
    const LoadSummary summary = m_runner->summary();
    const QList<ThresholdOutcome> &outcomes = m_summary->outcomes();
    const auto failed = std::count_if(outcomes.begin(), outcomes.end(),
                                      [](const ThresholdOutcome &outcome) { return !outcome.verdict.passed; });
    QString text = (m_stopRequested ? tr("Stopped after %1 s: ") : tr("Done in %1 s: "))
                       .arg(QString::number(double(summary.elapsedNs) / 1e9, 'f', 1));
    text += (summary.iterations == 1 ? tr("1 iteration, ") : tr("%1 iterations, ").arg(summary.iterations));
    text += (summary.errors() == 1 ? tr("1 error") : tr("%1 errors").arg(summary.errors()));
    if (!outcomes.isEmpty())
        text += tr("; thresholds: %1 passed, %2 failed").arg(outcomes.size() - failed).arg(failed);
    setStatus(text + u'.', failed > 0 || summary.errors() > 0 ? Tone::Bad : Tone::Good);
    const QString firstFailure = m_runner->firstFailure();
    if (!firstFailure.isEmpty()) {
        const QString masked = m_runVariables.maskSecrets(firstFailure);
        const QStringList lines = masked.split(u'\n', Qt::SkipEmptyParts);
        m_firstFailure->setText(tr("First failed iteration: %1").arg(lines.mid(0, 3).join(u" · "_s)));
        m_firstFailure->setToolTip(masked);
        m_firstFailure->show();
    }
    setRunning(false);
    Q_EMIT finished();
}

void LoadView::setRunning(bool running)
{
    m_start->setEnabled(!running);
    m_stop->setEnabled(running);
    m_form->setEditable(!running);
    m_export->setEnabled(!running && m_runner);
    Q_EMIT runningChanged(running);
}

bool LoadView::exportTo(const QString &path, Format format, QString *error) const
{
    if (!m_runner) {
        if (error)
            *error = tr("nothing has run yet");
        return false;
    }
    const LoadSummary summary = m_runner->summary();
    const QList<ThresholdOutcome> outcomes = LoadReport::evaluate(m_thresholds, summary);
    const QByteArray bytes = format == Format::Csv
        ? LoadReport::toCsv(m_scenario.name, m_profile, summary, outcomes)
        : QJsonDocument(LoadReport::toJson(m_scenario.name, m_profile, summary, outcomes))
              .toJson(QJsonDocument::Indented);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

void LoadView::exportWithDialog()
{
    QString filter;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export the summary"), u"load-summary.json"_s,
                                                      tr("JSON (*.json);;CSV (*.csv)"), &filter);
    if (path.isEmpty())
        return;
    const Format format = path.endsWith(u".csv"_s, Qt::CaseInsensitive) || filter.startsWith(u"CSV"_s)
        ? Format::Csv
        : Format::Json;
    QString error;
    if (!exportTo(path, format, &error))
        QMessageBox::warning(this, tr("Export the summary"), tr("Could not write %1: %2").arg(path, error));
}

} // namespace wsprobe
