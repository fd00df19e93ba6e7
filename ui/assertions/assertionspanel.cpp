#include "assertionspanel.h"

#include "assertionsmodel.h"
#include "inputfilereader.h"
#include "jsontext.h"
#include "liveassertions.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollBar>
#include <QShortcut>
#include <QStyle>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QUrl>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

using Kind = LiveAssertion::Kind;
using Status = LiveAssertion::Status;

// What each kind's spec looks like, for the kind selector's tooltips.
QString kindHint(Kind kind)
{
    switch (kind) {
    case Kind::EveryMessage:
        return u"Each received message must match a matcher, e.g. {\"jsonSubset\": {\"type\": \"tick\"}}"_s;
    case Kind::NoMessage:
        return u"No received message may match a matcher, e.g. {\"textContains\": \"error\"}"_s;
    case Kind::Monotonic:
        return u"A number in the received messages goes up: {\"monotonic\": \"/seq\"}, with "
               "\"step\" and \"where\" when needed"_s;
    case Kind::ReplyWithin:
        return u"Each sent message gets a reply in time: {\"replyWithinMs\": 200}, with \"reply\" "
               "and \"to\" matchers when needed"_s;
    case Kind::Count:
        return u"How many received messages match: {\"count\": <matcher>, \"atLeast\": 1} (or "
               "\"exactly\", \"atMost\")"_s;
    case Kind::RoundTrip:
        return u"A round-trip percentile stays under a limit: {\"p95\": 200, \"over\": 100} (p50, "
               "p90, p95, p99 or max, in ms, over the last N pairs), with \"correlate\": \"/id\" "
               "when answers carry their message's id"_s;
    }
    return {};
}

// JSON parse errors say "at offset N" (bytes): people read lines and columns.
QString withLineAndColumn(const QString &error, const QByteArray &utf8)
{
    static const QRegularExpression offsetPattern(u"at offset (\\d+)$"_s);
    const QRegularExpressionMatch match = offsetPattern.match(error);
    if (!match.hasMatch())
        return error;
    const qsizetype offset = qMin(match.captured(1).toLongLong(), qint64(utf8.size()));
    const QString before = QString::fromUtf8(utf8.left(offset));
    const qsizetype lineStart = before.lastIndexOf(u'\n') + 1;
    return error.left(match.capturedStart()) + u"at line %1, column %2"_s
        .arg(before.count(u'\n') + 1)
        .arg(before.size() - lineStart + 1);
}

// The editor's error line, in the current theme's failure colour.
QString errorStyleSheet()
{
    return u"color: %1"_s.arg(statusColor(LiveAssertion::Status::Failing).name());
}

QString failureHtml(const QString &title, const LiveFailure &failure, const QString &frameName, bool linked)
{
    const QString link = linked ? u"<a href=\"frame:%1\">%2</a>"_s.arg(failure.sequence).arg(frameName.toHtmlEscaped())
                                : u"a frame gone from the log"_s;
    return u"<p style=\"margin-top:6px\"><b>%1</b> %2: %3<br>"
           "&nbsp;&nbsp;expected: <tt>%4</tt><br>&nbsp;&nbsp;actual: <tt>%5</tt></p>"_s
        .arg(title, link, failure.explanation.toHtmlEscaped(), failure.expected.toHtmlEscaped(),
             failure.actual.toHtmlEscaped());
}

} // namespace

AssertionsPanel::AssertionsPanel(QWidget *parent)
    : QWidget(parent), m_model(new AssertionsModel(this))
{
    m_presets = {
        {u"Every message matches a JSON Schema"_s, Kind::EveryMessage,
         uR"({"schema": {
  "type": "object",
  "required": ["type"],
  "properties": {"type": {"type": "string"}}
}})"_s},
        {u"Every message matches a regular expression"_s, Kind::EveryMessage,
         uR"({"textMatches": "^\\{.*\\}$", "flags": "s"})"_s},
        {u"Every message has a JSON member"_s, Kind::EveryMessage,
         uR"({"pointer": "/type", "exists": true})"_s},
        {u"No message contains \"error\""_s, Kind::NoMessage, uR"({"textContains": "error"})"_s},
        {u"Field /seq increases"_s, Kind::Monotonic, uR"({"monotonic": "/seq"})"_s},
        {u"Field /seq goes up by 1"_s, Kind::Monotonic, uR"({"monotonic": "/seq", "step": 1})"_s},
        {u"Reply within 200 ms"_s, Kind::ReplyWithin, uR"({"replyWithinMs": 200})"_s},
        {u"At least one message contains \"pong\""_s, Kind::Count,
         uR"({"count": {"textContains": "pong"}, "atLeast": 1})"_s},
        {u"p95 round trip under 200 ms over the last 100 pairs"_s, Kind::RoundTrip,
         uR"({"p95": 200, "over": 100})"_s},
    };

    // Actions.
    m_addButton = new QPushButton(u"Add"_s, this);
    m_addButton->setObjectName(u"addAssertion"_s);
    m_addButton->setToolTip(u"Add an assertion that checks every message from now on"_s);
    m_removeButton = new QPushButton(u"Remove"_s, this);
    m_removeButton->setObjectName(u"removeAssertion"_s);
    m_removeButton->setToolTip(u"Remove the selected assertion"_s);
    m_resetButton = new QPushButton(u"Reset counts"_s, this);
    m_resetButton->setObjectName(u"resetAssertions"_s);
    m_resetButton->setToolTip(u"Start every count over from the next message"_s);
    m_resetOnReconnect = new QCheckBox(u"Start over on reconnect"_s, this);
    m_resetOnReconnect->setObjectName(u"resetOnReconnect"_s);
    m_resetOnReconnect->setToolTip(u"Count each connection on its own: a new connection resets every count"_s);
    m_resetOnReconnect->setChecked(true);
    m_summary = new QLabel(this);
    m_summary->setObjectName(u"assertionsSummary"_s);
    auto *actions = new QHBoxLayout;
    actions->addWidget(m_addButton);
    actions->addWidget(m_removeButton);
    actions->addWidget(m_resetButton);
    actions->addWidget(m_resetOnReconnect);
    actions->addStretch(1);
    actions->addWidget(m_summary);

    // The editor, shown by Add.
    m_editor = new QFrame(this);
    m_editor->setObjectName(u"assertionEditor"_s);
    m_editor->setFrameShape(QFrame::StyledPanel);
    m_kind = new QComboBox(m_editor);
    m_kind->setObjectName(u"assertionKind"_s);
    for (int i = 0; i < LiveAssertion::KindCount; ++i) {
        m_kind->addItem(LiveAssertion::kindName(Kind(i)), i);
        m_kind->setItemData(i, kindHint(Kind(i)), Qt::ToolTipRole);
    }
    m_preset = new QComboBox(m_editor);
    m_preset->setObjectName(u"assertionPreset"_s);
    m_preset->addItem(u"Presets…"_s);
    for (const Preset &preset : std::as_const(m_presets))
        m_preset->addItem(preset.name);
    m_schemaButton = new QPushButton(u"Schema File…"_s, m_editor);
    m_schemaButton->setObjectName(u"assertionSchemaFile"_s);
    m_schemaButton->setToolTip(u"Every message must match the JSON Schema in a file"_s);
    m_spec = new QPlainTextEdit(m_editor);
    m_spec->setObjectName(u"assertionSpec"_s);
    QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    fixed.setStyleHint(QFont::TypeWriter);
    fixed.setFixedPitch(true);
    m_spec->setFont(fixed);
    m_spec->setTabChangesFocus(true);
    m_spec->setPlaceholderText(u"The assertion as JSON; see the presets"_s);
    m_spec->setFixedHeight(m_spec->fontMetrics().lineSpacing() * 6 + 12);
    m_error = new QLabel(m_editor);
    m_error->setObjectName(u"assertionError"_s);
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(errorStyleSheet());
    m_preview = new QLabel(m_editor);
    m_preview->setObjectName(u"assertionPreview"_s);
    m_preview->setWordWrap(true);
    m_editorButtons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, m_editor);
    QPushButton *ok = m_editorButtons->button(QDialogButtonBox::Ok);
    ok->setObjectName(u"assertionOk"_s);
    ok->setText(u"Add assertion"_s);
    ok->setToolTip(u"Ctrl+Return"_s);
    m_editorButtons->button(QDialogButtonBox::Cancel)->setObjectName(u"assertionCancel"_s);

    auto *kindRow = new QHBoxLayout;
    kindRow->addWidget(new QLabel(u"Kind:"_s, m_editor));
    kindRow->addWidget(m_kind, 1);
    kindRow->addSpacing(8);
    kindRow->addWidget(m_preset, 1);
    kindRow->addWidget(m_schemaButton);
    auto *editorLayout = new QVBoxLayout(m_editor);
    editorLayout->addLayout(kindRow);
    editorLayout->addWidget(m_spec);
    editorLayout->addWidget(m_error);
    editorLayout->addWidget(m_preview);
    editorLayout->addWidget(m_editorButtons);
    m_editor->hide();

    // The assertions.
    m_table = new QTableView(this);
    m_table->setObjectName(u"assertionsTable"_s);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    QHeaderView *columns = m_table->horizontalHeader();
    columns->setHighlightSections(false);
    columns->setSectionResizeMode(AssertionsModel::StatusColumn, QHeaderView::ResizeToContents);
    columns->setSectionResizeMode(AssertionsModel::AssertionColumn, QHeaderView::Stretch);
    columns->setSectionResizeMode(AssertionsModel::PassedColumn, QHeaderView::ResizeToContents);
    columns->setSectionResizeMode(AssertionsModel::FailedColumn, QHeaderView::ResizeToContents);
    columns->resizeSection(AssertionsModel::FirstFailureColumn, 200);
    columns->resizeSection(AssertionsModel::LastFailureColumn, 200);

    m_details = new QTextBrowser(this);
    m_details->setObjectName(u"assertionDetails"_s);
    m_details->setOpenLinks(false);
    m_details->setFrameShape(QFrame::NoFrame);
    m_details->viewport()->setAutoFillBackground(false);
    m_details->document()->setDocumentMargin(2);

    auto *body = new QSplitter(Qt::Vertical, this);
    body->setChildrenCollapsible(false);
    body->addWidget(m_table);
    body->addWidget(m_details);
    body->setStretchFactor(0, 3);
    body->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(actions);
    layout->addWidget(m_editor);
    layout->addWidget(body, 1);

    connect(m_addButton, &QPushButton::clicked, this, &AssertionsPanel::showEditor);
    connect(m_removeButton, &QPushButton::clicked, this, &AssertionsPanel::removeSelected);
    connect(m_resetButton, &QPushButton::clicked, this, &AssertionsPanel::resetCounts);
    connect(m_resetOnReconnect, &QCheckBox::toggled, this, [this](bool reset) {
        if (LiveAssertions *assertions = m_model->assertions())
            assertions->setResetOnReconnect(reset);
    });
    connect(m_kind, &QComboBox::currentIndexChanged, this, &AssertionsPanel::kindChanged);
    connect(m_preset, &QComboBox::currentIndexChanged, this, &AssertionsPanel::applyPreset);
    connect(m_schemaButton, &QPushButton::clicked, this, &AssertionsPanel::chooseSchemaFile);
    connect(m_spec, &QPlainTextEdit::textChanged, this, [this] {
        m_fileError.clear();  // the user moved on from the file that failed
        validateSpec();
    });
    connect(m_editorButtons, &QDialogButtonBox::accepted, this, &AssertionsPanel::acceptEditor);
    connect(m_editorButtons, &QDialogButtonBox::rejected, this, &AssertionsPanel::hideEditor);
    auto *accept = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), m_editor);
    accept->setContext(Qt::WidgetWithChildrenShortcut);
    connect(accept, &QShortcut::activated, this, &AssertionsPanel::acceptEditor);
    auto *cancel = new QShortcut(QKeySequence(Qt::Key_Escape), m_editor);
    cancel->setContext(Qt::WidgetWithChildrenShortcut);
    connect(cancel, &QShortcut::activated, this, &AssertionsPanel::hideEditor);

    connect(m_table, &QTableView::clicked, this, &AssertionsPanel::cellActivated);
    connect(m_details, &QTextBrowser::anchorClicked, this, [this](const QUrl &link) {
        if (link.scheme() == u"frame")
            Q_EMIT frameRequested(link.path().toLongLong());
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        updateButtons();
        updateDetails();
    });

    const auto modelChanged = [this] {
        updateSummary();
        updateButtons();
    };
    connect(m_model, &QAbstractItemModel::dataChanged, this, modelChanged);
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex &topLeft) {
        if (topLeft.row() == currentRow())
            updateDetails();
    });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, modelChanged);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, modelChanged);
    connect(m_model, &QAbstractItemModel::modelReset, this, modelChanged);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &AssertionsPanel::updateDetails);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &AssertionsPanel::updateDetails);
    connect(m_model, &QAbstractItemModel::modelReset, this, &AssertionsPanel::updateDetails);
    modelChanged();
    updateDetails();
    validateSpec();
}

AssertionsPanel::~AssertionsPanel() = default;

void AssertionsPanel::updateSummary()
{
    int failing = 0;
    int passing = 0;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const Status status = m_model->assertionAt(row)->status();
        failing += status == Status::Failing;
        passing += status == Status::Passing;
    }
    const int count = m_model->rowCount();
    QString text = count == 1 ? u"1 assertion"_s : u"%1 assertions"_s.arg(count);
    if (passing > 0)
        text += u" · <span style=\"color:%1\">%2 passing</span>"_s.arg(
            statusColor(Status::Passing).name()).arg(passing);
    if (failing > 0)
        text += u" · <span style=\"color:%1\">%2 failing</span>"_s.arg(
            statusColor(Status::Failing).name()).arg(failing);
    m_summary->setText(text);
}

void AssertionsPanel::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    // The summary and the error are coloured in text and a style sheet: use the new shades.
    if (event->type() == QEvent::PaletteChange) {
        updateSummary();
        m_error->setStyleSheet(errorStyleSheet());
    }
}

void AssertionsPanel::setAssertions(LiveAssertions *assertions)
{
    m_model->setAssertions(assertions);
    if (assertions)
        assertions->setResetOnReconnect(m_resetOnReconnect->isChecked());
    else
        hideEditor();
    updateButtons();
}

void AssertionsPanel::showEditor()
{
    if (!m_model->assertions())
        return;
    if (m_spec->toPlainText().trimmed().isEmpty())
        kindChanged();  // fills in the kind's first preset
    validateSpec();
    m_editor->show();
    m_spec->setFocus();
    updateButtons();
}

void AssertionsPanel::hideEditor()
{
    m_fileError.clear();  // that attempt is over
    m_editor->hide();
    updateButtons();
}

bool AssertionsPanel::acceptEditor()
{
    if (m_editor->isHidden() || !validateSpec())
        return false;
    QString error;
    const std::optional<QJsonValue> spec = JsonText::parse(m_spec->toPlainText().toUtf8(), &error);
    if (!spec || !m_model->addAssertion(currentKind(), *spec, &error)) {
        m_error->setText(error);
        return false;
    }
    m_untouchedPreset.clear();
    m_spec->clear();  // the next Add starts from a preset again
    hideEditor();
    m_table->selectRow(m_model->rowCount() - 1);
    m_table->setFocus();
    return true;
}

void AssertionsPanel::removeSelected()
{
    const int row = currentRow();
    if (row >= 0)
        m_model->removeAssertion(row);
}

void AssertionsPanel::resetCounts()
{
    m_model->resetCounts();
}

void AssertionsPanel::applyPreset(int index)
{
    if (index <= 0 || index > m_presets.size())
        return;
    const Preset &preset = m_presets[index - 1];
    {
        const QSignalBlocker blocker(m_kind);
        m_kind->setCurrentIndex(int(preset.kind));
    }
    m_untouchedPreset = preset.spec;
    m_spec->setPlainText(preset.spec);
    // A menu of presets, not a setting: it shows its title again.
    const QSignalBlocker blocker(m_preset);
    m_preset->setCurrentIndex(0);
}

void AssertionsPanel::chooseSchemaFile()
{
    // Tests call loadSchemaFile() with a path: a dialog would wait for a user who is not there.
    if (qEnvironmentVariableIsSet("WSPROBE_NO_DIALOGS"))
        return;
    const QString path = QFileDialog::getOpenFileName(this, u"JSON Schema File"_s, m_schemaFolder,
                                                      u"JSON Schema (*.json);;All files (*)"_s);
    if (path.isEmpty())
        return;
    m_schemaFolder = QFileInfo(path).absolutePath();
    loadSchemaFile(path);
}

bool AssertionsPanel::loadSchemaFile(const QString &path)
{
    if (!m_model->assertions())
        return false;
    m_fileError.clear();
    showEditor();
    const auto refuse = [this](const QString &error) {
        // The editor keeps what it held, but that is not what the user asked to add now.
        m_fileError = error;
        validateSpec();
        return false;
    };
    const QString name = QFileInfo(path).fileName();
    InputFileReader reader;
    std::optional<QByteArray> read = reader.read(path);
    if (!read)
        return refuse(u"Cannot read %1: %2"_s.arg(QDir::toNativeSeparators(path), reader.error()));
    QByteArray utf8 = std::move(*read);
    if (utf8.startsWith("\xEF\xBB\xBF"))
        utf8.remove(0, 3);  // a byte order mark, as some Windows editors write
    QString error;
    if (!JsonText::parse(utf8, &error))
        return refuse(u"%1 is not JSON: %2"_s.arg(name, withLineAndColumn(error, utf8)));

    // The file's own text under "schema": its key order and layout stay as the user wrote them.
    QString schema = QString::fromUtf8(utf8).trimmed();
    schema.replace(u"\r\n"_s, u"\n"_s);
    schema.replace(u'\n', u"\n  "_s);
    {
        const QSignalBlocker blocker(m_kind);
        m_kind->setCurrentIndex(int(Kind::EveryMessage));
    }
    m_untouchedPreset.clear();
    m_spec->setPlainText(u"{\"schema\": "_s + schema + u"\n}"_s);
    m_spec->setFocus();
    return validateSpec() != nullptr;
}

void AssertionsPanel::kindChanged()
{
    // Replace the spec only when it is not the user's own text.
    const QString text = m_spec->toPlainText();
    if (!text.trimmed().isEmpty() && text != m_untouchedPreset) {
        validateSpec();
        return;
    }
    for (const Preset &preset : std::as_const(m_presets)) {
        if (preset.kind == currentKind()) {
            m_untouchedPreset = preset.spec;
            m_spec->setPlainText(preset.spec);  // validates
            return;
        }
    }
}

std::unique_ptr<LiveAssertion> AssertionsPanel::validateSpec()
{
    QPushButton *ok = m_editorButtons->button(QDialogButtonBox::Ok);
    const auto refuse = [&](const QString &error) {
        m_error->setText(error);
        m_error->setVisible(!error.isEmpty());
        m_preview->clear();
        m_preview->hide();
        ok->setEnabled(false);
        return nullptr;
    };

    if (!m_fileError.isEmpty())
        return refuse(m_fileError);
    const QByteArray utf8 = m_spec->toPlainText().toUtf8();
    if (utf8.trimmed().isEmpty())
        return refuse(QString());
    QString error;
    const std::optional<QJsonValue> spec = JsonText::parse(utf8, &error);
    if (!spec)
        return refuse(u"Not JSON: "_s + withLineAndColumn(error, utf8));
    std::unique_ptr<LiveAssertion> assertion = LiveAssertion::create(currentKind(), *spec, &error);
    if (!assertion)
        return refuse(error);

    m_error->clear();
    m_error->hide();
    m_preview->setText(u"Checks: "_s + assertion->describe());
    m_preview->show();
    ok->setEnabled(m_model->assertions() != nullptr);
    return assertion;
}

void AssertionsPanel::cellActivated(const QModelIndex &index)
{
    const LiveFailure *failure = m_model->failureAt(index);
    if (failure && m_model->isFrameAvailable(failure->sequence))
        Q_EMIT frameRequested(failure->sequence);
}

void AssertionsPanel::updateButtons()
{
    m_addButton->setEnabled(m_model->assertions() != nullptr);
    m_removeButton->setEnabled(currentRow() >= 0);
    m_resetButton->setEnabled(m_model->rowCount() > 0);
}

void AssertionsPanel::updateDetails()
{
    const LiveAssertion *assertion = m_model->assertionAt(currentRow());
    if (!assertion) {
        showDetails(m_model->rowCount() == 0
                               ? u"Add an assertion to check each message of this session as it "
                                 "arrives: passes and failures are counted live."_s
                               : u"Select an assertion to see its failures."_s);
        return;
    }
    QString html = u"<b>%1</b><br>%2 · %3 checked, %4 passed, %5 failed"_s
                       .arg(assertion->describe().toHtmlEscaped(),
                            statusText(*assertion).toHtmlEscaped())
                       .arg(assertion->checked())
                       .arg(assertion->passed())
                       .arg(assertion->failed());
    if (const auto &first = assertion->firstFailure())
        html += failureHtml(u"First failure"_s, *first, m_model->frameName(first->sequence),
                            m_model->isFrameAvailable(first->sequence));
    const auto &last = assertion->lastFailure();
    if (last && assertion->failed() > 1)
        html += failureHtml(u"Last failure"_s, *last, m_model->frameName(last->sequence),
                            m_model->isFrameAvailable(last->sequence));
    showDetails(html);
}

void AssertionsPanel::showDetails(const QString &html)
{
    // Counts change up to ten times a second: keep the reader's place, and skip what is unchanged.
    if (html == m_detailsHtml)
        return;
    m_detailsHtml = html;
    QScrollBar *scrollBar = m_details->verticalScrollBar();
    const int position = scrollBar->value();
    m_details->setHtml(html);
    scrollBar->setValue(position);
}

LiveAssertion::Kind AssertionsPanel::currentKind() const
{
    return Kind(m_kind->currentData().toInt());
}

int AssertionsPanel::currentRow() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : rows.first().row();
}

} // namespace wsprobe
