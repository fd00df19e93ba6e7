#include "loadview.h"

#include "loaddata.h"
#include "loadfiguresmodel.h"
#include "loadrunner.h"
#include "loadthreshold.h"
#include "scenarioloader.h"
#include "timeserieschart.h"

#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

enum ThroughputSeries { Users, MessagesIn, MessagesOut, Iterations };
enum PercentileSeries { P50, P95, P99 };

QString durationText(qint64 ms)
{
    const QString text = LoadReport::formatDurationMs(ms);
    return text.isEmpty() ? QString::number(ms) + u"ms"_s : text;
}

} // namespace

LoadView::LoadView(QWidget *parent)
    : QWidget(parent)
    , m_file(new QLineEdit(this))
    , m_users(new QSpinBox(this))
    , m_ramp(new QLineEdit(this))
    , m_duration(new QLineEdit(this))
    , m_iterations(new QSpinBox(this))
    , m_arrivalRate(new QDoubleSpinBox(this))
    , m_think(new QLineEdit(this))
    , m_data(new QLineEdit(this))
    , m_thresholdEdit(new QPlainTextEdit(this))
    , m_startStop(new QPushButton(tr("Start"), this))
    , m_export(new QPushButton(tr("Export…"), this))
    , m_status(new QLabel(this))
    , m_live(new QLabel(this))
    , m_throughputChart(new TimeSeriesChart(tr("Users and throughput (per second, by seconds into the run)"), this))
    , m_percentilesChart(new TimeSeriesChart(tr("Round trip percentiles (ms, each interval's own)"), this))
    , m_figures(new LoadFiguresModel(this))
    , m_table(new QTableView(this))
{
    m_file->setObjectName(u"loadScenarioFile"_s);
    m_file->setPlaceholderText(tr("a scenario file (*.json)"));
    connect(m_file, &QLineEdit::returnPressed, this, [this] { openScenario(m_file->text()); });
    auto *browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, &LoadView::browseScenario);
    m_users->setObjectName(u"loadUsers"_s);
    m_users->setRange(1, 100000);
    m_ramp->setObjectName(u"loadRamp"_s);
    m_duration->setObjectName(u"loadDuration"_s);
    m_think->setObjectName(u"loadThink"_s);
    for (QLineEdit *edit : {m_ramp, m_duration, m_think})
        edit->setPlaceholderText(tr("10s, 500ms, 2m"));
    m_iterations->setObjectName(u"loadIterations"_s);
    m_iterations->setRange(0, 1000000);
    m_iterations->setSpecialValueText(tr("until the time is up"));
    m_arrivalRate->setObjectName(u"loadArrivalRate"_s);
    m_arrivalRate->setRange(0, 1000000);
    m_arrivalRate->setDecimals(1);
    m_arrivalRate->setSpecialValueText(tr("off (closed model)"));
    m_arrivalRate->setSuffix(tr(" /s"));
    m_data->setObjectName(u"loadDataFile"_s);
    m_data->setPlaceholderText(tr("optional CSV, a header row of variable names"));
    auto *browseData = new QPushButton(tr("Browse…"), this);
    connect(browseData, &QPushButton::clicked, this, &LoadView::browseData);
    m_thresholdEdit->setObjectName(u"loadThresholds"_s);
    m_thresholdEdit->setPlaceholderText(tr("one a line: p95<200, errors<1%, connect p99<500"));
    m_thresholdEdit->setTabChangesFocus(true);
    m_thresholdEdit->setMaximumHeight(m_thresholdEdit->fontMetrics().height() * 4 + 12);
    m_startStop->setObjectName(u"loadStartStop"_s);
    connect(m_startStop, &QPushButton::clicked, this, [this] { isRunning() ? stop() : void(start()); });
    m_export->setObjectName(u"loadExport"_s);
    m_export->setToolTip(tr("Save the summary as JSON or CSV"));
    connect(m_export, &QPushButton::clicked, this, &LoadView::exportWithDialog);
    m_status->setObjectName(u"loadStatus"_s);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_live->setObjectName(u"loadLive"_s);
    m_live->setWordWrap(true);
    m_live->setTextInteractionFlags(Qt::TextSelectableByMouse);

    // The settings: the file on its own line, the load's shape in two columns beside the thresholds.
    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(new QLabel(tr("Scenario:"), this));
    fileRow->addWidget(m_file, 1);
    fileRow->addWidget(browse);
    auto *shapeLeft = new QFormLayout;
    shapeLeft->addRow(tr("Users:"), m_users);
    shapeLeft->addRow(tr("Ramp-up:"), m_ramp);
    shapeLeft->addRow(tr("Duration:"), m_duration);
    auto *shapeRight = new QFormLayout;
    shapeRight->addRow(tr("Iterations each:"), m_iterations);
    shapeRight->addRow(tr("Arrival rate:"), m_arrivalRate);
    shapeRight->addRow(tr("Think time:"), m_think);
    auto *dataRow = new QHBoxLayout;
    dataRow->addWidget(m_data, 1);
    dataRow->addWidget(browseData);
    auto *thresholds = new QFormLayout;
    thresholds->addRow(tr("Data:"), dataRow);
    thresholds->addRow(tr("Thresholds:"), m_thresholdEdit);
    auto *settings = new QHBoxLayout;
    settings->addLayout(shapeLeft);
    settings->addLayout(shapeRight);
    settings->addLayout(thresholds, 2);
    auto *controls = new QHBoxLayout;
    controls->addWidget(m_startStop);
    controls->addWidget(m_status, 1);
    controls->addWidget(m_export);

    m_throughputChart->setObjectName(u"loadThroughputChart"_s);
    m_throughputChart->addSeries(tr("users"), TimeSeriesChart::Side::Left);
    m_throughputChart->addSeries(tr("messages in/s"), TimeSeriesChart::Side::Right);
    m_throughputChart->addSeries(tr("messages out/s"), TimeSeriesChart::Side::Right);
    m_throughputChart->addSeries(tr("iterations/s"), TimeSeriesChart::Side::Right);
    m_percentilesChart->setObjectName(u"loadPercentilesChart"_s);
    m_percentilesChart->addSeries(tr("p50"));
    m_percentilesChart->addSeries(tr("p95"));
    m_percentilesChart->addSeries(tr("p99"));

    m_table->setObjectName(u"loadSummaryTable"_s);
    m_table->setModel(m_figures);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setSectionResizeMode(LoadFiguresModel::FigureColumn, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(LoadFiguresModel::ValueColumn, QHeaderView::Stretch);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);

    auto *charts = new QWidget(this);
    auto *chartsLayout = new QHBoxLayout(charts);
    chartsLayout->setContentsMargins(0, 0, 0, 0);
    chartsLayout->addWidget(m_throughputChart);
    chartsLayout->addWidget(m_percentilesChart);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(u"loadSplitter"_s);
    split->addWidget(charts);
    split->addWidget(m_table);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(fileRow);
    layout->addLayout(settings);
    layout->addLayout(controls);
    layout->addWidget(m_live);
    layout->addWidget(split, 1);

    m_timer.setInterval(DefaultRefreshMs);
    connect(&m_timer, &QTimer::timeout, this, &LoadView::refresh);
    setProfile(LoadProfile{});
    setStatus(tr("Pick a scenario file, set the load, press Start."));
    updateButtons();
}

LoadView::~LoadView()
{
    // Closing the tab mid-run: the iterations are cancelled before their runner goes.
    if (m_runner) {
        disconnect(m_runner.get(), nullptr, this, nullptr);
        m_runner->stop();
    }
}

QString LoadView::title() const
{
    return m_scenario ? tr("Load: %1").arg(m_scenario->name.isEmpty() ? QFileInfo(m_scenarioPath).fileName()
                                                                       : m_scenario->name)
                      : tr("Load");
}

bool LoadView::openScenario(const QString &path)
{
    m_file->setText(path);
    const ScenarioLoader::Result loaded = ScenarioLoader::loadFile(path);
    if (!loaded.scenario) {
        m_scenario.reset();
        setStatus(loaded.errorText(), true);
        updateButtons();
        Q_EMIT titleChanged(title());
        return false;
    }
    m_scenario = loaded.scenario;
    m_scenarioPath = path;
    setProfile(m_scenario->load.value_or(LoadProfile{}));
    setStatus(m_scenario->load ? tr("The settings are the file's load block; change them for this run.")
                               : tr("The file has no load block: the settings are the defaults."));
    updateButtons();
    Q_EMIT titleChanged(title());
    return true;
}

void LoadView::setProfile(const LoadProfile &profile)
{
    m_users->setValue(profile.users);
    m_ramp->setText(durationText(profile.rampUpMs));
    m_duration->setText(durationText(profile.durationMs));
    m_iterations->setValue(profile.iterations);
    m_arrivalRate->setValue(profile.arrivalRate);
    m_think->setText(durationText(profile.thinkTimeMs));
    m_data->setText(profile.dataFile);
    QStringList lines;
    for (const LoadThresholdText &threshold : profile.thresholds)
        lines.append(threshold.text);
    m_thresholdEdit->setPlainText(lines.join(u'\n'));
}

std::optional<LoadProfile> LoadView::profile(QString *error) const
{
    LoadProfile profile;
    profile.users = m_users->value();
    profile.iterations = m_iterations->value();
    profile.arrivalRate = m_arrivalRate->value();
    profile.dataFile = m_data->text().trimmed();
    const std::pair<QLineEdit *, qint64 *> durations[] = {
        {m_ramp, &profile.rampUpMs}, {m_duration, &profile.durationMs}, {m_think, &profile.thinkTimeMs}};
    for (const auto &[edit, field] : durations) {
        const QString text = edit->text().trimmed();
        const std::optional<qint64> ms = text.isEmpty() ? std::optional<qint64>(0) : LoadProfile::parseDuration(text);
        if (!ms || (edit == m_duration && *ms <= 0)) {
            *error = tr("%1 needs a duration such as 10s, 500ms or 2m, got \"%2\"")
                         .arg(edit == m_ramp ? tr("Ramp-up") : edit == m_duration ? tr("Duration") : tr("Think time"),
                              text);
            return std::nullopt;
        }
        *field = *ms;
    }
    const QStringList lines = m_thresholdEdit->toPlainText().split(u'\n');
    for (const QString &line : lines) {
        if (!line.trimmed().isEmpty())
            profile.thresholds.append({line.trimmed(), {}});
    }
    return profile;
}

bool LoadView::start()
{
    if (isRunning())
        return false;
    if (!m_scenario) {
        if (m_file->text().isEmpty() || !openScenario(m_file->text())) {
            if (m_file->text().isEmpty())
                setStatus(tr("Pick a scenario file first."), true);
            return false;
        }
    }
    QString error;
    const std::optional<LoadProfile> profile = this->profile(&error);
    if (!profile) {
        setStatus(error, true);
        return false;
    }
    QList<LoadThreshold> thresholds;
    for (qsizetype i = 0; i < profile->thresholds.size(); ++i) {
        const QString &text = profile->thresholds[i].text;
        int column = 0;
        const std::optional<LoadThreshold> threshold = LoadThreshold::parse(text, &error, &column);
        if (!threshold) {
            setStatus(tr("Threshold %1, \"%2\", at character %3: %4").arg(i + 1).arg(text).arg(column).arg(error), true);
            return false;
        }
        thresholds.append(*threshold);
    }
    LoadData data;
    if (!profile->dataFile.isEmpty()) {
        // A relative path is the scenario file's neighbour, as the file's own load block means it.
        QString path = profile->dataFile;
        if (QFileInfo(path).isRelative() && !m_scenarioPath.isEmpty())
            path = QFileInfo(m_scenarioPath).dir().filePath(path);
        if (!data.load(path, &error)) {
            setStatus(tr("The data file: %1").arg(error), true);
            return false;
        }
    }

    if (m_runner) {
        // A finished run's runner: its iterations' runners are gone already (deleteLater).
        m_runner.reset();
    }
    m_runProfile = *profile;
    m_thresholds = thresholds;
    m_outcomes.clear();
    m_figures->clear();
    m_timeline.clear();
    m_throughputChart->clear();
    m_percentilesChart->clear();
    const Variables variables = m_variablesSource ? m_variablesSource() : Variables();
    m_runner = std::make_unique<LoadRunner>(*m_scenario, variables, *profile);
    m_runner->setData(data);
    connect(m_runner.get(), &LoadRunner::finished, this, &LoadView::onFinished, Qt::QueuedConnection);
    m_runner->start();
    setStatus(tr("Running: %1.").arg(LoadReport::shape(*profile)));
    m_timer.start();
    updateButtons();
    return true;
}

void LoadView::stop()
{
    if (!isRunning())
        return;
    setStatus(tr("Stopping: the iterations under way are cancelled…"));
    m_runner->stop();
}

bool LoadView::isRunning() const
{
    return m_runner && m_runner->isRunning();
}

QString LoadView::statusText() const
{
    return m_status->text();
}

QString LoadView::liveText() const
{
    return m_live->text();
}

void LoadView::setRefreshInterval(int ms)
{
    m_timer.setInterval(qMax(ms, 100));
}

void LoadView::refresh()
{
    if (!m_runner)
        return;
    const LoadSummary summary = m_runner->summary();
    const int users = m_runner->isRunning() ? m_runner->virtualUsers() : 0;
    if (!m_timeline.add(summary, users) || m_timeline.samples().isEmpty())
        return;
    const LoadSample &now = m_timeline.samples().last();
    m_live->setText(
        tr("%1 virtual users · %2 iterations (%3 passed, %4 failed) · %5 errors · messages %6/s in, %7/s out · "
           "data %8/s in, %9/s out · connect p95 %10 · round trip p50 %11, p95 %12, p99 %13")
            .arg(users)
            .arg(summary.iterations)
            .arg(summary.passed)
            .arg(summary.failed())
            .arg(summary.errors())
            .arg(QString::number(now.messagesInPerSecond, 'f', 1), QString::number(now.messagesOutPerSecond, 'f', 1),
                 LoadReport::formatBytes(now.bytesInPerSecond), LoadReport::formatBytes(now.bytesOutPerSecond),
                 LoadReport::formatNs(summary.connect.percentileNs(95)),
                 LoadReport::formatNs(summary.roundTrips.percentileNs(50)),
                 LoadReport::formatNs(summary.roundTrips.percentileNs(95)),
                 LoadReport::formatNs(summary.roundTrips.percentileNs(99))));

    QList<QPointF> lines[4];
    QList<QPointF> percentiles[3];
    for (const LoadSample &sample : m_timeline.samples()) {
        lines[Users].append({sample.seconds, double(sample.users)});
        lines[MessagesIn].append({sample.seconds, sample.messagesInPerSecond});
        lines[MessagesOut].append({sample.seconds, sample.messagesOutPerSecond});
        lines[Iterations].append({sample.seconds, sample.iterationsPerSecond});
        // An interval without a round trip leaves a gap in nothing: it is left out.
        if (sample.p50Ns >= 0) {
            percentiles[P50].append({sample.seconds, double(sample.p50Ns) / 1e6});
            percentiles[P95].append({sample.seconds, double(sample.p95Ns) / 1e6});
            percentiles[P99].append({sample.seconds, double(sample.p99Ns) / 1e6});
        }
    }
    for (int i = 0; i < 4; ++i)
        m_throughputChart->setPoints(i, lines[i]);
    for (int i = 0; i < 3; ++i)
        m_percentilesChart->setPoints(i, percentiles[i]);
}

void LoadView::onFinished()
{
    m_timer.stop();
    refresh();
    const LoadSummary summary = m_runner->summary();
    m_outcomes = LoadReport::evaluate(m_thresholds, summary);
    m_figures->setReport(m_outcomes, LoadReport::figures(m_runProfile, summary));
    const auto failed = std::count_if(m_outcomes.begin(), m_outcomes.end(),
                                      [](const ThresholdOutcome &outcome) { return !outcome.verdict.passed; });
    QString text = tr("Finished: %1 iterations in %2 s.").arg(summary.iterations)
                       .arg(QString::number(double(summary.elapsedNs) / 1e9, 'f', 1));
    if (!m_outcomes.isEmpty())
        text += u' ' + (failed ? tr("%1 of %2 thresholds failed.").arg(failed).arg(m_outcomes.size())
                               : tr("All %1 thresholds passed.").arg(m_outcomes.size()));
    if (!m_runner->firstFailure().isEmpty()) {
        const Variables variables = m_variablesSource ? m_variablesSource() : Variables();
        m_status->setToolTip(variables.maskSecrets(m_runner->firstFailure()));
        text += u' ' + tr("(The first failure is in this line's tooltip.)");
    }
    setStatus(text, failed > 0);
    updateButtons();
    Q_EMIT runFinished();
}

void LoadView::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? u"color: #d93f3f;"_s : QString());
}

void LoadView::updateButtons()
{
    const bool running = isRunning();
    m_startStop->setText(running ? tr("Stop") : tr("Start"));
    m_export->setEnabled(!running && m_runner);
    for (QWidget *field : std::initializer_list<QWidget *>{m_file, m_users, m_ramp, m_duration, m_iterations,
                                                          m_arrivalRate, m_think, m_data, m_thresholdEdit})
        field->setEnabled(!running);
}

void LoadView::browseScenario()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Scenario to run as load"), m_file->text(),
                                                      tr("Scenarios (*.json)"));
    if (!path.isEmpty())
        openScenario(path);
}

void LoadView::browseData()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Data file"), m_data->text(), tr("CSV (*.csv)"));
    if (!path.isEmpty())
        m_data->setText(path);
}

bool LoadView::exportTo(const QString &path, Format format, QString *error) const
{
    if (!m_runner) {
        if (error)
            *error = tr("nothing has run yet");
        return false;
    }
    const LoadSummary summary = m_runner->summary();
    const QString name = m_scenario ? m_scenario->name : QString();
    const QByteArray bytes = format == Format::Csv
        ? LoadReport::toCsv(name, m_runProfile, summary, m_outcomes)
        : QJsonDocument(LoadReport::toJson(name, m_runProfile, summary, m_outcomes)).toJson(QJsonDocument::Indented);
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
