#include "scenariorunview.h"

#include "framelogmodel.h"
#include "scenariorunner.h"
#include "scenariowriter.h"
#include "session.h"
#include "steplistmodel.h"
#include "themecolors.h"

#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QCheckBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSplitter>
#include <QStyle>
#include <QTabWidget>
#include <QTableView>
#include <QTextBlockFormat>
#include <QTextCharFormat>
#include <QTextCursor>
#include <QTextEdit>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

constexpr int ClockIntervalMs = 100;

QString durationText(qint64 ms)
{
    if (ms < 1000)
        return u"%1 ms"_s.arg(ms);
    return u"%1 s"_s.arg(ms / 1000.0, 0, 'f', 2);
}

// "label:    value", wrapped under its first line: a hanging indent keeps the labels in one
// column, and the value's own line breaks stay in its paragraph.
void appendField(QTextCursor &cursor, const QString &label, const QString &value,
                 const QTextCharFormat &valueFormat, const QFontMetrics &metrics)
{
    constexpr int LabelWidth = 10;
    const QString paddedLabel = (label + u':').leftJustified(LabelWidth);
    QTextBlockFormat hanging;
    const int indent = metrics.horizontalAdvance(paddedLabel);
    hanging.setLeftMargin(indent);
    hanging.setTextIndent(-indent);
    QTextCharFormat labelFormat;
    labelFormat.setFontWeight(QFont::Bold);
    cursor.insertBlock(hanging);
    cursor.insertText(paddedLabel, labelFormat);
    QString text = value;
    text.replace(u'\n', QChar::LineSeparator);
    cursor.insertText(text, valueFormat);
}

} // namespace

ScenarioRunView::ScenarioRunView(QWidget *parent)
    : QWidget(parent)
    , m_steps(new StepListModel(this))
{
    m_name = new QLabel(this);
    m_name->setObjectName(u"scenarioName"_s);
    QFont nameFont = m_name->font();
    nameFont.setBold(true);
    nameFont.setPointSizeF(nameFont.pointSizeF() * 1.2);
    m_name->setFont(nameFont);
    m_name->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // A long name gives way to the verdict and the buttons (the tooltip has it whole).
    m_name->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_verdict = new QLabel(this);
    m_verdict->setObjectName(u"runVerdict"_s);
    m_summary = new QLabel(this);
    m_summary->setObjectName(u"runSummary"_s);
    m_runButton = new QPushButton(style()->standardIcon(QStyle::SP_MediaPlay), u"Run"_s, this);
    m_runButton->setObjectName(u"runButton"_s);
    m_runButton->setToolTip(u"Run the scenario against its servers"_s);
    m_stopButton = new QPushButton(style()->standardIcon(QStyle::SP_MediaStop), u"Stop"_s, this);
    m_stopButton->setObjectName(u"stopButton"_s);
    m_stopButton->setToolTip(u"Fail the current step and close every connection"_s);
    m_saveButton = new QPushButton(style()->standardIcon(QStyle::SP_DialogSaveButton), u"Save…"_s, this);
    m_saveButton->setObjectName(u"saveScenario"_s);
    m_saveButton->setToolTip(u"Save this scenario to a file, to run it again or in CI"_s);
    m_saveButton->hide();
    m_skipPauses = new QCheckBox(u"Skip recorded pauses"_s, this);
    m_skipPauses->setObjectName(u"skipPauses"_s);
    m_skipPauses->setToolTip(u"Do not wait where the recording paused for the person typing "
                             "(waits marked optional; wsprobe-run --fast does the same)"_s);
    m_skipPauses->setChecked(true);
    m_skipPauses->hide();
    m_environment = new QLabel(this);
    m_environment->setObjectName(u"runEnvironment"_s);
    m_environment->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_environment->setToolTip(u"What {{variables}} resolve with: the environment picked in the "
                              "sidebar when Run is pressed"_s);
    m_notice = new QLabel(this);
    m_notice->setObjectName(u"runNotice"_s);
    m_notice->setWordWrap(true);
    m_notice->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_notice->hide();

    auto *header = new QHBoxLayout;
    header->addWidget(m_name, 1);
    header->addSpacing(12);
    header->addWidget(m_verdict);
    header->addSpacing(12);
    header->addWidget(m_summary);
    header->addSpacing(12);
    header->addWidget(m_skipPauses);
    header->addWidget(m_runButton);
    header->addWidget(m_stopButton);
    header->addWidget(m_saveButton);

    m_stepList = new QTreeView(this);
    m_stepList->setObjectName(u"stepList"_s);
    m_stepList->setModel(m_steps);
    m_stepList->setRootIsDecorated(false);
    m_stepList->setUniformRowHeights(true);
    m_stepList->setAllColumnsShowFocus(true);
    m_stepList->setSelectionMode(QAbstractItemView::SingleSelection);
    m_stepList->setSelectionBehavior(QAbstractItemView::SelectRows);
    QHeaderView *columns = m_stepList->header();
    columns->setStretchLastSection(false);
    columns->setSectionResizeMode(QHeaderView::ResizeToContents);
    columns->setSectionResizeMode(StepListModel::TitleColumn, QHeaderView::Stretch);

    m_detail = new QTextEdit(this);
    m_detail->setObjectName(u"stepDetail"_s);
    m_detail->setReadOnly(true);
    m_detail->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    fixed.setStyleHint(QFont::TypeWriter);
    fixed.setFixedPitch(true);  // where no monospace font is configured, still ask for one
    m_detail->setFont(fixed);
    m_detail->setPlaceholderText(u"Select a step to see what it expected and what it got."_s);

    m_clientLogs = new QTabWidget(this);
    m_clientLogs->setObjectName(u"clientLogs"_s);
    m_clientLogs->setDocumentMode(true);

    auto *right = new QSplitter(Qt::Vertical, this);
    right->addWidget(m_detail);
    right->addWidget(m_clientLogs);
    right->setStretchFactor(0, 2);
    right->setStretchFactor(1, 3);
    auto *body = new QSplitter(Qt::Horizontal, this);
    body->addWidget(m_stepList);
    body->addWidget(right);
    body->setStretchFactor(0, 1);
    body->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addWidget(m_environment);
    layout->addWidget(m_notice);
    layout->addWidget(body, 1);

    m_clockTimer.setInterval(ClockIntervalMs);
    connect(&m_clockTimer, &QTimer::timeout, this, &ScenarioRunView::updateHeader);
    connect(m_runButton, &QPushButton::clicked, this, &ScenarioRunView::run);
    connect(m_stopButton, &QPushButton::clicked, this, &ScenarioRunView::stop);
    connect(m_saveButton, &QPushButton::clicked, this, &ScenarioRunView::saveDialog);
    connect(m_stepList->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &ScenarioRunView::showDetail);
    connect(m_steps, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles) {
                const int current = m_stepList->currentIndex().row();
                // The spinner's turns change nothing the pane shows.
                if (current >= topLeft.row() && current <= bottomRight.row() && roles.isEmpty())
                    showDetail();
            });
    connect(m_steps, &QAbstractItemModel::modelReset, this, &ScenarioRunView::showDetail);
    updateHeader();
}

ScenarioRunView::~ScenarioRunView()
{
    // The log views go first: they read the sessions the runner owns.
    while (m_clientLogs->count() > 0)
        delete m_clientLogs->widget(0);
    if (m_runner) {
        m_runner->disconnect(this);
        delete m_runner;
    }
}

QString ScenarioRunView::title() const
{
    if (!m_scenario.name.isEmpty())
        return m_scenario.name;
    return QFileInfo(m_scenario.filePath).fileName();
}

void ScenarioRunView::setScenario(const Scenario &scenario, const Variables &variables)
{
    dropRunner();
    m_scenario = scenario;
    m_variables = variables;
    m_lastResult.reset();
    m_stopRequested = false;
    m_clockTimer.stop();
    m_steps->setScenario(m_scenario);
    m_detail->clear();
    // A scenario from a file is saved by editing that file; one made in memory has only this.
    m_saveButton->setVisible(m_scenario.filePath.isEmpty());
    const bool hasRecordedPauses = std::any_of(m_scenario.steps.cbegin(), m_scenario.steps.cend(),
                                               [](const Step &step) { return step.optional; });
    m_skipPauses->setVisible(hasRecordedPauses);
    setNotice(QString());
    prepareRunner();
    updateHeader();
}

void ScenarioRunView::setVariables(const Variables &variables)
{
    m_variables = variables;
    // A runner that has not run yet is replaced now; after a run, run() makes a new one anyway.
    if (m_runner && !m_runnerUsed)
        prepareRunner();
}

void ScenarioRunView::setEnvironmentSource(EnvironmentSource source)
{
    m_environmentSource = std::move(source);
    environmentChanged();
}

void ScenarioRunView::environmentChanged()
{
    if (isRunning())
        return;  // the run under way keeps what it started with; the next one takes the change
    takeEnvironment();
    if (m_runner && !m_runnerUsed)
        prepareRunner();
    updateHeader();
}

void ScenarioRunView::takeEnvironment()
{
    if (!m_environmentSource)
        return;
    Environment environment = m_environmentSource();
    m_environmentName = environment.name;
    m_variables = std::move(environment.variables);
}

QString ScenarioRunView::environmentText() const
{
    QString text = m_environmentName.isEmpty() ? u"No environment"_s
                                               : u"Environment: "_s + m_environmentName;
    if (m_scenario.clients.empty())
        return text;
    const ClientSpec &first = m_scenario.clients.front();
    // As the run will resolve it: the scenario's own defaults count too.
    const Variables variables = ScenarioRunner::withDefaults(m_scenario, m_variables);
    const Variables::Expansion url = variables.expand(first.url);
    text += u" · "_s;
    if (url.isComplete())
        text += variables.maskSecrets(url.text);
    else
        text += first.url + u" (undefined: "_s + url.unresolved.join(u", "_s) + u')';
    if (m_scenario.clients.size() > 1)
        text += u" and %1 more client(s)"_s.arg(m_scenario.clients.size() - 1);
    return text;
}

bool ScenarioRunView::isRunning() const
{
    return m_runner && m_runner->isRunning();
}

void ScenarioRunView::run()
{
    if (!m_runner || isRunning())
        return;
    // Each run gets a runner of its own: a fresh result, fresh sessions and empty logs, and the
    // environment as it is now.
    if (m_environmentSource) {
        takeEnvironment();
        prepareRunner();
    } else if (m_runnerUsed) {
        prepareRunner();
    }
    m_runnerUsed = true;
    m_stopRequested = false;
    m_lastResult.reset();
    m_steps->resetStatuses();
    m_clock.start();
    m_clockTimer.start();
    m_runner->setSkipOptionalWaits(m_skipPauses->isChecked());
    m_runner->start();
    updateHeader();
    showDetail();
    Q_EMIT runStarted();
}

void ScenarioRunView::stop()
{
    if (!isRunning())
        return;
    m_stopRequested = true;
    m_runner->cancel();
    updateHeader();
}

bool ScenarioRunView::saveScenario(const QString &path, QString *error)
{
    if (!ScenarioWriter::save(m_scenario, path, error)) {
        setNotice(u"Cannot save: "_s + *error);
        return false;
    }
    m_scenario.filePath = path;
    setNotice(u"Saved to %1"_s.arg(QDir::toNativeSeparators(path)));
    updateHeader();
    Q_EMIT saved(path);
    return true;
}

void ScenarioRunView::saveDialog()
{
    if (qEnvironmentVariableIsSet("WSPROBE_NO_DIALOGS"))
        return;
    // The scenario's name, as a file name a shell does not need quotes for.
    QString suggested = m_scenario.name.toLower();
    suggested.replace(QRegularExpression(u"[^a-z0-9._-]+"_s), u"-"_s);
    suggested.remove(QRegularExpression(u"^-+|-+$"_s));
    if (suggested.isEmpty())
        suggested = u"scenario"_s;
    const QString path = QFileDialog::getSaveFileName(this, u"Save Scenario"_s, suggested + u".json"_s,
                                                      u"Scenarios (*.json)"_s);
    QString error;
    if (!path.isEmpty())
        saveScenario(path, &error);
}

void ScenarioRunView::setNotice(const QString &text)
{
    m_notice->setText(text);
    m_notice->setVisible(!text.isEmpty());
}

QString ScenarioRunView::notice() const
{
    return m_notice->text();
}

void ScenarioRunView::setSkipRecordedPauses(bool skip)
{
    m_skipPauses->setChecked(skip);
}

bool ScenarioRunView::skipsRecordedPauses() const
{
    return m_skipPauses->isChecked();
}

void ScenarioRunView::prepareRunner()
{
    dropRunner();
    m_runner = new ScenarioRunner(m_scenario, m_variables, this);
    m_runnerUsed = false;
    connect(m_runner, &ScenarioRunner::stepStarted, this, &ScenarioRunView::onStepStarted);
    connect(m_runner, &ScenarioRunner::stepFinished, this, &ScenarioRunView::onStepFinished);
    connect(m_runner, &ScenarioRunner::finished, this, &ScenarioRunView::onFinished);
    rebuildClientTabs();
}

void ScenarioRunView::dropRunner()
{
    if (!m_runner)
        return;
    while (m_clientLogs->count() > 0)
        delete m_clientLogs->widget(0);
    ScenarioRunner *runner = m_runner;
    m_runner = nullptr;
    runner->disconnect(this);
    runner->cancel();
    // Later: this may be reached from one of the runner's own signals.
    runner->deleteLater();
}

void ScenarioRunView::rebuildClientTabs()
{
    const int current = m_clientLogs->currentIndex();
    while (m_clientLogs->count() > 0)
        delete m_clientLogs->widget(0);
    if (!m_runner)
        return;
    for (const QString &name : m_runner->clientNames()) {
        Session *session = m_runner->session(name);
        const int tab = m_clientLogs->addTab(createClientLog(session, m_clientLogs), name);
        // The URL as written: its {{variables}} may hold secrets.
        if (const ClientSpec *spec = m_scenario.client(name))
            m_clientLogs->setTabToolTip(tab, spec->url);
    }
    if (current >= 0 && current < m_clientLogs->count())
        m_clientLogs->setCurrentIndex(current);
}

QWidget *ScenarioRunView::createClientLog(Session *session, QWidget *parent)
{
    auto *table = new QTableView(parent);
    table->setObjectName(u"clientLog"_s);
    auto *model = new FrameLogModel(table);
    model->setLog(session->log());
    table->setModel(model);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setWordWrap(false);
    table->setShowGrid(false);
    table->verticalHeader()->hide();
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 6);
    QHeaderView *columns = table->horizontalHeader();
    columns->setStretchLastSection(true);
    columns->setSectionResizeMode(QHeaderView::Interactive);
    // Wide enough for typical values, so the preview gets the rest.
    const QFontMetrics metrics = table->fontMetrics();
    const auto fit = [&](int column, const QString &sample) {
        columns->resizeSection(column, metrics.horizontalAdvance(sample) + 16);
    };
    fit(FrameLogModel::TimeColumn, u"00:00:00.000"_s);
    fit(FrameLogModel::DeltaColumn, u"+0000.000 ms"_s);
    fit(FrameLogModel::DirectionColumn, u"• local"_s);
    fit(FrameLogModel::TypeColumn, u"handshake"_s);
    fit(FrameLogModel::SizeColumn, u"000.0 KiB"_s);
    // Follow the tail while the user looks at it, not once they scrolled up to read.
    QObject::connect(model, &QAbstractItemModel::rowsAboutToBeInserted, table, [table] {
        QScrollBar *bar = table->verticalScrollBar();
        table->setProperty("followTail", bar->value() >= bar->maximum());
    });
    QObject::connect(model, &QAbstractItemModel::rowsInserted, table, [table] {
        if (table->property("followTail").toBool())
            table->scrollToBottom();
    });
    return table;
}

void ScenarioRunView::onStepStarted(int index)
{
    m_steps->markRunning(index);
    m_stepList->scrollTo(m_steps->index(index, StepListModel::TitleColumn));
    updateHeader();
}

void ScenarioRunView::onStepFinished(int index, const StepResult &result)
{
    m_steps->setStepResult(index, result);
    updateHeader();
}

void ScenarioRunView::onFinished(const ScenarioResult &result)
{
    m_lastResult = result;
    m_clockTimer.stop();
    m_steps->setResult(result);
    if (const StepResult *failure = result.firstFailure()) {
        const QModelIndex row = m_steps->index(failure->index, StepListModel::TitleColumn);
        m_stepList->setCurrentIndex(row);
        m_stepList->scrollTo(row);
    }
    updateHeader();
    showDetail();
    Q_EMIT runFinished(result);
}

void ScenarioRunView::updateHeader()
{
    m_name->setText(title());
    m_environment->setText(environmentText());
    m_name->setToolTip(m_scenario.description.isEmpty()
                           ? m_scenario.filePath
                           : m_scenario.filePath + u"\n\n"_s + m_scenario.description);

    const bool running = isRunning();
    int passed = 0;
    int current = -1;
    for (int row = 0; row < m_steps->stepCount(); ++row) {
        const StepResult::Status status = m_steps->stepAt(row).status;
        if (status == StepResult::Status::Passed)
            ++passed;
        else if (status == StepResult::Status::Running)
            current = row;
    }
    const int total = m_steps->stepCount();

    QString verdict;
    QString color;
    if (m_lastResult) {
        if (m_lastResult->passed) {
            verdict = u"Passed"_s;
            color = ThemeColors::success(palette()).name();
        } else {
            verdict = m_stopRequested ? u"Stopped"_s : u"Failed"_s;
            color = ThemeColors::failure(palette()).name();
        }
        m_summary->setText(u"%1 of %2 steps passed · %3"_s.arg(passed).arg(total)
                               .arg(durationText(m_lastResult->durationMs)));
    } else if (running) {
        verdict = m_stopRequested ? u"Stopping…"_s : u"Running…"_s;
        m_summary->setText(current >= 0
                               ? u"step %1 of %2 · %3"_s.arg(current + 1).arg(total)
                                     .arg(durationText(m_clock.elapsed()))
                               : u"%1 of %2 steps passed · %3"_s.arg(passed).arg(total)
                                     .arg(durationText(m_clock.elapsed())));
    } else {
        verdict = u"Not run"_s;
        m_summary->setText(total == 1 ? u"1 step"_s : u"%1 steps"_s.arg(total));
    }
    m_verdict->setText(verdict);
    const QString verdictStyle = color.isEmpty() ? u"font-weight: bold"_s
                                                 : u"font-weight: bold; color: %1"_s.arg(color);
    // Setting a style sheet re-polishes the label: not ten times a second for nothing.
    if (m_verdict->styleSheet() != verdictStyle)
        m_verdict->setStyleSheet(verdictStyle);
    m_verdict->setToolTip(m_lastResult ? m_lastResult->error : QString());

    m_runButton->setEnabled(m_runner && !running);
    m_stopButton->setEnabled(running);
}

void ScenarioRunView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    // The verdict and the expected/actual text are coloured: use the new theme's shades.
    if (event->type() == QEvent::PaletteChange) {
        updateHeader();
        showDetail();
    }
}

void ScenarioRunView::showDetail()
{
    m_detail->clear();
    const int row = m_stepList->currentIndex().row();
    QTextCursor cursor(m_detail->document());
    if (row < 0 || row >= m_steps->stepCount()) {
        if (m_lastResult && !m_lastResult->error.isEmpty())
            cursor.insertText(m_lastResult->error);
        else
            cursor.insertText(m_scenario.description);
        return;
    }

    const StepResult &step = m_steps->stepAt(row);
    QStringList heading{u"Step %1 of %2"_s.arg(row + 1).arg(m_steps->stepCount()),
                        displayName(step.status)};
    if (step.status == StepResult::Status::Passed || step.status == StepResult::Status::Failed)
        heading.append(durationText(step.durationMs));
    if (step.line > 0)
        heading.append(u"line %1"_s.arg(step.line));
    QTextCharFormat muted;
    muted.setForeground(ThemeColors::muted(palette()));
    cursor.insertText(heading.join(u" · "_s), muted);
    cursor.insertText(u"\n"_s);
    QTextCharFormat titleFormat;
    titleFormat.setFontWeight(QFont::Bold);
    cursor.insertText(step.title, titleFormat);
    cursor.insertBlock(QTextBlockFormat(), QTextCharFormat());

    const QTextCharFormat plain;
    const QFontMetrics metrics(m_detail->font());
    QTextCharFormat expectedFormat;
    expectedFormat.setForeground(ThemeColors::success(palette()));
    QTextCharFormat actualFormat;
    actualFormat.setForeground(ThemeColors::failure(palette()));
    if (step.status == StepResult::Status::Failed) {
        appendField(cursor, u"why"_s, step.message, plain, metrics);
        if (!step.expected.isEmpty())
            appendField(cursor, u"expected"_s, step.expected, expectedFormat, metrics);
        if (!step.actual.isEmpty())
            appendField(cursor, u"actual"_s, step.actual, actualFormat, metrics);
    } else if (!step.message.isEmpty()) {
        appendField(cursor, u"note"_s, step.message, plain, metrics);
    }
    m_detail->moveCursor(QTextCursor::Start);
}

} // namespace wsprobe
