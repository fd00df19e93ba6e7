#include "composer.h"

#include "frameevent.h"
#include "savedmessagesmodel.h"
#include "themecolors.h"

#include "qscintilla.h"

#include <QComboBox>
#include <QEvent>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

constexpr int CheckDelayMs = 150;
// Texts longer than this are checked when sent, not while typing.
constexpr qsizetype LiveCheckLimit = 4 * 1024 * 1024;

QString sizeText(qint64 bytes)
{
    if (bytes < 10 * 1024)
        return bytes == 1 ? QObject::tr("1 byte") : QObject::tr("%1 bytes").arg(bytes);
    if (bytes < 10 * 1024 * 1024)
        return u"%1 KiB"_s.arg(bytes / 1024.0, 0, 'f', 1);
    return u"%1 MiB"_s.arg(bytes / (1024.0 * 1024.0), 0, 'f', 1);
}

constexpr int BarSpacing = 4;

QToolButton *toolButton(const QString &text, const QString &objectName, const QString &toolTip,
                        QWidget *parent)
{
    auto *button = new QToolButton(parent);
    button->setText(text);
    button->setObjectName(objectName);
    button->setToolTip(toolTip);
    return button;
}

} // namespace

Composer::Composer(QWidget *parent)
    : QWidget(parent)
    , m_editor(new QsciScintilla(this))
    , m_lexer(new QsciLexerJSON(m_editor))
    , m_mode(new QComboBox(this))
    , m_beautifyButton(new QPushButton(tr("Beautify"), this))
    , m_sendButton(new QPushButton(tr("Send"), this))
    , m_size(new QLabel(this))
    , m_warning(new QLabel(this))
    , m_notice(new QLabel(this))
    , m_saved(new SavedMessagesModel(this))
    , m_savedView(new QListView(this))
    , m_loadButton(toolButton(tr("Load"), u"loadMessageButton"_s,
                              tr("Put the selected message into the editor"), this))
    , m_upButton(toolButton(u"↑"_s, u"moveUpButton"_s, tr("Move up"), this))
    , m_downButton(toolButton(u"↓"_s, u"moveDownButton"_s, tr("Move down"), this))
    , m_removeButton(toolButton(tr("Remove"), u"removeMessageButton"_s,
                                tr("Remove the selected message"), this))
{
    setObjectName(u"composer"_s);

    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_editor->setObjectName(u"composerEditor"_s);
    m_lexer->setDefaultFont(mono);
    m_lexer->setFont(mono);
    m_editor->setUtf8(true);
    m_editor->setAutoIndent(true);
    m_editor->setIndentationsUseTabs(false);
    m_editor->setIndentationWidth(2);
    m_editor->setTabWidth(2);
    m_editor->setBraceMatching(QsciScintilla::SloppyBraceMatch);
    m_editor->setMarginType(0, QsciScintilla::NumberMargin);
    m_editor->setMarginLineNumbers(0, true);
    m_editor->setMarginsFont(mono);
    m_editor->setMarginWidth(0, u"000"_s);
    m_editor->SendScintilla(QsciScintillaBase::SCI_SETMARGINLEFT, 0, 4L);  // text off the numbers
    m_editor->setWrapMode(QsciScintilla::WrapWord);
    m_editor->setFrameShape(QFrame::StyledPanel);
    connect(m_editor, &QsciScintilla::textChanged, this, [this] {
        m_notice->clear();
        m_notice->hide();
        m_checkTimer.start();
    });

    m_mode->setObjectName(u"sendMode"_s);
    m_mode->setToolTip(tr("How the text is sent"));
    for (SendMode mode : {SendMode::Text, SendMode::BinaryHex, SendMode::BinaryBase64,
                          SendMode::Ping}) {
        m_mode->addItem(displayName(mode), int(mode));
    }
    connect(m_mode, &QComboBox::currentIndexChanged, this, &Composer::applyMode);

    m_beautifyButton->setObjectName(u"beautifyButton"_s);
    m_beautifyButton->setToolTip(tr("Indent the JSON (Ctrl+Shift+F)"));
    connect(m_beautifyButton, &QPushButton::clicked, this, &Composer::beautify);
    m_sendButton->setObjectName(u"sendButton"_s);
    m_sendButton->setToolTip(tr("Send (Ctrl+Enter)"));
    m_sendButton->setDefault(true);
    connect(m_sendButton, &QPushButton::clicked, this, &Composer::send);
    m_size->setObjectName(u"sizeLabel"_s);
    m_size->setForegroundRole(QPalette::PlaceholderText);

    // Ctrl+Enter (keypad) and Ctrl+Return send from anywhere inside the composer.
    for (const QKeySequence &keys : {QKeySequence(Qt::CTRL | Qt::Key_Return),
                                     QKeySequence(Qt::CTRL | Qt::Key_Enter)}) {
        auto *shortcut = new QShortcut(keys, this);
        shortcut->setContext(Qt::WidgetWithChildrenShortcut);
        connect(shortcut, &QShortcut::activated, this, &Composer::send);
    }
    auto *beautifyShortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F), this);
    beautifyShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(beautifyShortcut, &QShortcut::activated, this, &Composer::beautify);

    m_warning->setObjectName(u"jsonWarning"_s);
    m_warning->setWordWrap(true);
    m_warning->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_warning->hide();
    m_notice->setObjectName(u"composerNotice"_s);
    m_notice->setWordWrap(true);
    m_notice->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_notice->hide();

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->setSpacing(BarSpacing);
    bar->addWidget(m_mode);
    bar->addWidget(m_beautifyButton);
    bar->addStretch(1);
    m_savedMenuButton = toolButton(tr("Saved"), u"savedMenuButton"_s, tr("Load a saved message into the editor"), this);
    m_savedMenuButton->setPopupMode(QToolButton::InstantPopup);
    auto *savedMenu = new QMenu(m_savedMenuButton);
    connect(savedMenu, &QMenu::aboutToShow, this, [this, savedMenu] {
        savedMenu->clear();
        for (int row = 0; row < m_saved->rowCount(); ++row)
            savedMenu->addAction(m_saved->at(row).name, this, [this, row] { loadSaved(row); });
        if (m_saved->rowCount() == 0)
            savedMenu->addAction(tr("No saved messages"))->setEnabled(false);
        savedMenu->addSeparator();
        savedMenu->addAction(tr("Save…"), this, &Composer::promptSaveCurrent);
    });
    m_savedMenuButton->setMenu(savedMenu);
    m_savedMenuButton->hide();
    bar->addWidget(m_savedMenuButton);
    bar->addWidget(m_size);
    bar->addWidget(m_sendButton);

    m_editorPane = new QWidget(this);
    auto *editorLayout = new QVBoxLayout(m_editorPane);
    editorLayout->setContentsMargins(0, 0, 0, 0);
    editorLayout->setSpacing(4);
    editorLayout->addLayout(bar);
    editorLayout->addWidget(m_editor, 1);
    editorLayout->addWidget(m_warning);
    editorLayout->addWidget(m_notice);

    // Saved messages: a plain list; double-click (or Enter) sends, F2 renames.
    m_savedView->setObjectName(u"savedMessages"_s);
    m_savedView->setModel(m_saved);
    m_savedView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_savedView->setEditTriggers(QAbstractItemView::EditKeyPressed);
    m_savedView->setUniformItemSizes(true);
    m_savedView->setSpacing(2);
    m_savedView->setToolTip(tr("Double-click or press Enter to send; F2 renames"));
    connect(m_savedView, &QListView::activated, this,
            [this](const QModelIndex &index) { sendSaved(index.row()); });
    connect(m_savedView->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &Composer::updateSavedButtons);
    connect(m_saved, &SavedMessagesModel::messagesChanged, this, &Composer::savedMessagesChanged);
    connect(m_saved, &SavedMessagesModel::messagesChanged, this, &Composer::updateSavedButtons);

    auto *saveButton = new QPushButton(tr("Save…"), this);
    saveButton->setObjectName(u"saveMessageButton"_s);
    saveButton->setToolTip(tr("Keep the editor's text under a name, to send it again"));
    connect(saveButton, &QPushButton::clicked, this, &Composer::promptSaveCurrent);
    connect(m_loadButton, &QToolButton::clicked, this, [this] { loadSaved(selectedSavedRow()); });
    connect(m_upButton, &QToolButton::clicked, this, [this] { moveSelectedSaved(-1); });
    connect(m_downButton, &QToolButton::clicked, this, [this] { moveSelectedSaved(1); });
    connect(m_removeButton, &QToolButton::clicked, this,
            [this] { m_saved->removeAt(selectedSavedRow()); });

    auto *savedTitle = new QLabel(tr("Saved messages"), this);
    QFont titleFont = savedTitle->font();
    titleFont.setBold(true);
    savedTitle->setFont(titleFont);
    auto *savedHeader = new QHBoxLayout;
    savedHeader->setContentsMargins(0, 0, 0, 0);
    savedHeader->addWidget(savedTitle, 1);
    savedHeader->addWidget(saveButton);
    auto *savedButtons = new QHBoxLayout;
    savedButtons->setContentsMargins(0, 0, 0, 0);
    savedButtons->setSpacing(2);
    savedButtons->addWidget(m_loadButton);
    savedButtons->addWidget(m_upButton);
    savedButtons->addWidget(m_downButton);
    savedButtons->addStretch(1);
    savedButtons->addWidget(m_removeButton);

    m_savedPane = new QWidget(this);
    auto *savedLayout = new QVBoxLayout(m_savedPane);
    savedLayout->setContentsMargins(0, 0, 0, 0);
    savedLayout->setSpacing(4);
    savedLayout->addLayout(savedHeader);
    savedLayout->addWidget(m_savedView, 1);
    savedLayout->addLayout(savedButtons);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(m_editorPane);
    splitter->addWidget(m_savedPane);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({600, 200});

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    m_checkTimer.setSingleShot(true);
    m_checkTimer.setInterval(CheckDelayMs);
    connect(&m_checkTimer, &QTimer::timeout, this, &Composer::updateChecks);

    applyColors();
    applyMode();
    updateSavedButtons();
}

QSize Composer::minimumSizeHint() const
{
    // The editor with the "Saved" menu in its bar, whether the menu shows yet or not.
    int editor = m_editorPane->minimumSizeHint().width();
    if (m_savedMenuButton->isHidden())
        editor += m_savedMenuButton->sizeHint().width() + BarSpacing;
    return {editor, QWidget::minimumSizeHint().height()};
}

void Composer::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    const int handle = style()->pixelMetric(QStyle::PM_SplitterWidth, nullptr, this);
    const bool sideBySide = width() >= m_editorPane->minimumSizeHint().width() + handle + m_savedPane->minimumSizeHint().width();
    if (m_savedPane->isHidden() == !sideBySide)
        return;
    m_savedPane->setVisible(sideBySide);
    m_savedMenuButton->setVisible(!sideBySide);
}

void Composer::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyColors();
}

void Composer::applyColors()
{
    const QPalette colors = palette();
    const QColor text = colors.color(QPalette::Text);
    const QColor paper = colors.color(QPalette::Base);
    // QScintilla paints its own text and paper, and its lexer's colours are made for white
    // paper: keep their hues, in shades that read on ours.
    m_lexer->setDefaultColor(text);
    m_lexer->setDefaultPaper(paper);
    for (int style = QsciLexerJSON::Default; style <= QsciLexerJSON::Error; ++style) {
        // Plain text is a fine message: the lexer's red "error" paper would say otherwise.
        // Where JSON breaks is told once, under the editor.
        const bool plain = style == QsciLexerJSON::Default || style == QsciLexerJSON::Error
            || style == QsciLexerJSON::UnclosedString;
        m_lexer->setColor(plain ? text : ThemeColors::readable(m_lexer->defaultColor(style), colors), style);
        m_lexer->setPaper(paper, style);
    }
    // Without the lexer (hex, base64) the editor's own colours show; QScintilla takes them only
    // while no lexer is set, so applyMode() comes back here after removing it.
    if (!m_editor->lexer()) {
        m_editor->setColor(text);
        m_editor->setPaper(paper);
    }
    m_editor->setCaretForegroundColor(text);
    m_editor->setSelectionForegroundColor(colors.color(QPalette::HighlightedText));
    m_editor->setSelectionBackgroundColor(colors.color(QPalette::Highlight));
    m_editor->setMatchedBraceForegroundColor(ThemeColors::info(colors));
    m_editor->setMatchedBraceBackgroundColor(paper);
    m_editor->setUnmatchedBraceForegroundColor(ThemeColors::failure(colors));
    m_editor->setUnmatchedBraceBackgroundColor(paper);
    m_editor->setMarginsForegroundColor(ThemeColors::muted(colors));
    m_editor->setMarginsBackgroundColor(colors.color(QPalette::Window));

    m_warning->setStyleSheet(u"color: %1;"_s.arg(ThemeColors::warning(colors).name()));
    if (!m_notice->isHidden())
        showNotice(m_notice->text(), m_noticeKind);
}

QString Composer::text() const
{
    return m_editor->text();
}

void Composer::setText(const QString &text)
{
    m_editor->setText(text);
    updateChecks();
}

SendMode Composer::sendMode() const
{
    return SendMode(m_mode->currentData().toInt());
}

void Composer::setSendMode(SendMode mode)
{
    m_mode->setCurrentIndex(m_mode->findData(int(mode)));
}

bool Composer::send()
{
    updateChecks();
    QString error;
    const std::optional<ComposedMessage> message = MessageComposer::compose(sendMode(), text(),
                                                                            &error);
    if (!message) {
        showNotice(error, NoticeKind::Error);
        return false;
    }
    Q_EMIT sendRequested(*message);
    return true;
}

bool Composer::beautify()
{
    const QString current = text();
    std::optional<QString> pretty;
    if (sendMode() == SendMode::BinaryHex) {
        pretty = MessageComposer::beautifyHex(current);
        if (!pretty) {
            QString error;
            MessageComposer::compose(SendMode::BinaryHex, current, &error);
            showNotice(tr("Left as it is. %1").arg(error), NoticeKind::Info);
            return false;
        }
    } else if (sendMode() == SendMode::BinaryBase64) {
        showNotice(tr("Base64 has nothing to beautify."), NoticeKind::Info);
        return false;
    } else {
        pretty = MessageComposer::beautifyJson(current);
        if (!pretty) {
            const QString why = MessageComposer::jsonWarning(current);
            showNotice(why.isEmpty() ? tr("Not JSON: left as it is.")
                                     : tr("Left as it is. %1").arg(why),
                       NoticeKind::Info);
            return false;
        }
    }
    if (*pretty != current) {
        // One undo step, so Ctrl+Z brings the text back as it was.
        m_editor->beginUndoAction();
        m_editor->selectAll();
        m_editor->replaceSelectedText(*pretty);
        m_editor->endUndoAction();
        m_editor->setCursorPosition(0, 0);
    }
    updateChecks();
    return true;
}

QString Composer::jsonWarning() const
{
    return m_warning->isHidden() ? QString() : m_warning->text();
}

QString Composer::notice() const
{
    return m_notice->isHidden() ? QString() : m_notice->text();
}

void Composer::showNotice(const QString &text, NoticeKind kind)
{
    m_noticeKind = kind;
    m_notice->setStyleSheet(kind == NoticeKind::Error
                                ? u"color: %1;"_s.arg(ThemeColors::failure(palette()).name())
                                : u"color: palette(placeholder-text);"_s);
    m_notice->setText(text);
    m_notice->setVisible(!text.isEmpty());
}

void Composer::updateChecks()
{
    m_checkTimer.stop();
    const QString current = text();
    const SendMode mode = sendMode();
    QString warning;
    if (mode == SendMode::Text && current.size() <= LiveCheckLimit)
        warning = MessageComposer::jsonWarning(current);
    m_warning->setText(warning.isEmpty() ? QString() : u"⚠ "_s + warning);
    m_warning->setVisible(!warning.isEmpty());

    QString error;
    const std::optional<ComposedMessage> message = current.size() <= LiveCheckLimit
        ? MessageComposer::compose(mode, current, &error)
        : std::nullopt;
    if (mode == SendMode::Text) {
        m_size->setText(sizeText(utf8Length(current)));
    } else if (message) {
        m_size->setText(mode == SendMode::Ping
                            ? tr("%1 / %2 bytes").arg(message->bytes.size())
                                  .arg(MessageComposer::MaxPingPayload)
                            : sizeText(message->bytes.size()));
    } else {
        m_size->setText(QString());
    }
    // The reason a send would be refused shows while typing, in the colour of a refusal.
    if (!message && !error.isEmpty())
        showNotice(error, NoticeKind::Error);
}

void Composer::applyMode()
{
    const SendMode mode = sendMode();
    const bool json = mode == SendMode::Text || mode == SendMode::Ping;
    if (json && m_editor->lexer() != m_lexer) {
        m_editor->setLexer(m_lexer);
    } else if (!json && m_editor->lexer()) {
        m_editor->setLexer(nullptr);
        m_editor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        applyColors();
    }
    m_beautifyButton->setEnabled(mode != SendMode::BinaryBase64);
    m_notice->hide();
    updateChecks();
}

QList<SavedMessage> Composer::savedMessages() const
{
    return m_saved->messages();
}

void Composer::setSavedMessages(const QList<SavedMessage> &messages)
{
    m_saved->setMessages(messages);
}

int Composer::saveCurrent(const QString &name)
{
    const QString trimmed = name.trimmed();
    const int row = m_saved->append({trimmed.isEmpty() ? MessageComposer::defaultName(text())
                                                       : trimmed,
                                     sendMode(), text()});
    m_savedView->setCurrentIndex(m_saved->index(row));
    return row;
}

void Composer::promptSaveCurrent()
{
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Save message"), tr("Name:"),
                                               QLineEdit::Normal,
                                               MessageComposer::defaultName(text()), &ok);
    if (ok)
        saveCurrent(name);
}

bool Composer::sendSaved(int row)
{
    if (row < 0 || row >= m_saved->rowCount())
        return false;
    const SavedMessage &saved = m_saved->at(row);
    QString error;
    const std::optional<ComposedMessage> message = MessageComposer::compose(saved.mode, saved.body,
                                                                            &error);
    if (!message) {
        showNotice(tr("“%1” cannot be sent. %2").arg(saved.name, error), NoticeKind::Error);
        return false;
    }
    Q_EMIT sendRequested(*message);
    return true;
}

void Composer::loadSaved(int row)
{
    if (row < 0 || row >= m_saved->rowCount())
        return;
    const SavedMessage saved = m_saved->at(row);
    setSendMode(saved.mode);
    setText(saved.body);
    m_editor->setFocus();
}

int Composer::selectedSavedRow() const
{
    const QModelIndex current = m_savedView->currentIndex();
    return current.isValid() ? current.row() : -1;
}

void Composer::moveSelectedSaved(int delta)
{
    const int row = selectedSavedRow();
    if (row < 0)
        return;
    if (m_saved->move(row, row + delta))
        m_savedView->setCurrentIndex(m_saved->index(row + delta));
}

void Composer::updateSavedButtons()
{
    const int row = selectedSavedRow();
    const int count = m_saved->rowCount();
    m_loadButton->setEnabled(row >= 0);
    m_removeButton->setEnabled(row >= 0);
    m_upButton->setEnabled(row > 0);
    m_downButton->setEnabled(row >= 0 && row + 1 < count);
}

} // namespace wsprobe
