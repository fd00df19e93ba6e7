#include "mainwindow.h"

#include "sessionmanager.h"
#include "sessionview.h"

#include <QAction>
#include <QApplication>
#include <QMenuBar>
#include <QTabWidget>

using namespace Qt::StringLiterals;

namespace wsprobe {

MainWindow::MainWindow(const QUrl &defaultUrl, QWidget *parent)
    : QMainWindow(parent)
    , m_defaultUrl(defaultUrl)
    , m_sessions(new SessionManager(this))
    , m_tabs(new QTabWidget(this))
{
    setWindowTitle(tr("wsprobe"));
    m_tabs->setObjectName(u"sessions"_s);
    m_tabs->setDocumentMode(true);
    m_tabs->setTabsClosable(true);
    m_tabs->setMovable(true);
    connect(m_tabs, &QTabWidget::tabCloseRequested, this, &MainWindow::closeSession);
    setCentralWidget(m_tabs);
    createActions();
    resize(1200, 800);
}

MainWindow::~MainWindow()
{
    // Views hold raw pointers to sessions: take the views down first.
    while (m_tabs->count() > 0) {
        QWidget *view = m_tabs->widget(0);
        m_tabs->removeTab(0);
        delete view;
    }
}

void MainWindow::createActions()
{
    QMenu *sessionMenu = menuBar()->addMenu(tr("&Session"));
    QAction *newAction = sessionMenu->addAction(tr("&New Session"), this, [this] { newSession(); });
    newAction->setShortcut(QKeySequence::AddTab);
    QAction *closeAction = sessionMenu->addAction(tr("&Close Session"), this,
                                                  [this] { closeSession(m_tabs->currentIndex()); });
    closeAction->setShortcut(QKeySequence::Close);
    QAction *nextAction = sessionMenu->addAction(tr("Ne&xt Session"), this, [this] {
        if (m_tabs->count() > 0)
            m_tabs->setCurrentIndex((m_tabs->currentIndex() + 1) % m_tabs->count());
    });
    nextAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Tab));
    sessionMenu->addSeparator();
    QAction *connectAction = sessionMenu->addAction(tr("Connect / &Disconnect"), this, [this] {
        if (SessionView *view = currentSessionView())
            view->toggleConnection();
    });
    connectAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    QAction *pingAction = sessionMenu->addAction(tr("&Ping"), this, [this] {
        if (SessionView *view = currentSessionView())
            view->sendPing();
    });
    pingAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
    sessionMenu->addSeparator();
    QAction *quitAction = sessionMenu->addAction(tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quitAction->setShortcut(QKeySequence::Quit);
}

SessionView *MainWindow::newSession(const QUrl &url)
{
    SessionSettings settings;
    settings.url = url.isEmpty() ? m_defaultUrl : url;
    Session *session = m_sessions->createSession(settings);
    auto *view = new SessionView(session, m_tabs);
    const int index = m_tabs->addTab(view, view->title());
    connect(view, &SessionView::titleChanged, this, [this, view](const QString &title) {
        const int at = m_tabs->indexOf(view);
        if (at >= 0)
            m_tabs->setTabText(at, title);
    });
    m_tabs->setCurrentIndex(index);
    return view;
}

SessionView *MainWindow::currentSessionView() const
{
    return qobject_cast<SessionView *>(m_tabs->currentWidget());
}

int MainWindow::sessionCount() const
{
    return m_tabs->count();
}

void MainWindow::closeSession(int index)
{
    auto *view = qobject_cast<SessionView *>(m_tabs->widget(index));
    if (!view)
        return;
    Session *session = view->session();
    m_tabs->removeTab(index);
    delete view;
    m_sessions->removeSession(session);
}

} // namespace wsprobe
